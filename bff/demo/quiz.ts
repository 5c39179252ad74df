import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';
import { letteredOptions, TRUE_FALSE_TEXTS } from '../../shared/contracts/quiz-bank';

/** A demo question: its options lettered A, B, C… as a CSV row's are, and the letters of the right ones (`B`, `ABD`). */
const q = (code: string, format: 'single' | 'multiple' | 'truefalse', text: string, options: string[], answer: string, explanation: string, tags: string[]) => ({
  code: `DEMO-FRAUD-${code}`,
  type: 'question',
  orgUnitId: 'org-hq',
  bank: 'DEMO-FRAUD',
  format,
  text,
  options: letteredOptions(options),
  answer: [...answer],
  explanation,
  tags,
});
const TF = [...TRUE_FALSE_TEXTS];

/** The demo 题库 behind 「反诈知识周赛」: fraud, deposits and personal information, every question explained. */
const QUESTIONS = [
  q(
    '01',
    'single',
    '自称“公检法”的来电要求把钱转到“安全账户”，应该怎么做？',
    ['按要求转账', '挂断电话，拨打 110 核实', '先转一半'],
    'B',
    '公检法机关不会通过电话办案，更没有所谓“安全账户”。',
    ['电信诈骗'],
  ),
  q('02', 'truefalse', '银行工作人员可能会向您索要短信验证码。', TF, 'B', '验证码等同于您的签名，银行任何时候都不会索要。', ['个人信息']),
  q('03', 'single', '存款保险对同一存款人在同一家银行的最高偿付限额是？', ['20 万元', '50 万元', '100 万元'], 'B', '《存款保险条例》规定最高偿付限额为人民币 50 万元。', [
    '存款保险',
  ]),
  q('04', 'multiple', '以下哪些信息不能告诉他人？', ['短信验证码', '银行卡密码', '银行网点地址', '网银登录密码'], 'ABD', '验证码和各类密码只属于您自己；网点地址是公开信息。', [
    '个人信息',
  ]),
  q('05', 'truefalse', '网上刷单、点赞返利是正规兼职，可以放心参与。', TF, 'B', '刷单返利是最常见的诈骗之一，先小额返利再骗大额。', ['电信诈骗']),
  q(
    '06',
    'single',
    '收到“您的信用卡额度可提升”的陌生链接，应该？',
    ['点开填写卡号和验证码', '通过银行官方 App 或客服电话核实', '转发给朋友'],
    'B',
    '调额只在官方渠道办理，陌生链接多为钓鱼网站。',
    ['电信诈骗'],
  ),
  q(
    '07',
    'multiple',
    '遇到疑似诈骗时，哪些做法是对的？',
    ['立即停止转账', '拨打 96110 反诈专线咨询', '按对方要求下载屏幕共享软件', '保存聊天记录并报警'],
    'ABD',
    '屏幕共享会让骗子看到您的验证码和密码，切勿下载。',
    ['电信诈骗'],
  ),
  q('08', 'truefalse', '把自己的银行卡出租、出借给他人使用是违法的。', TF, 'A', '出租出借银行卡可能涉嫌帮助信息网络犯罪活动罪。', ['账户安全']),
];

/** Publishes the demo bank, reviewed by a second person like any bank's questions. */
export async function seedDemoQuestions<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>): Promise<void> {
  await publishDemo(admin, QUESTIONS, ['DEMO-FRAUD-']);
}
