import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

// Fixed dates: the same upload every start, so uploading it again changes nothing.
const RUNNING = { startAt: '2026-01-01T00:00:00+08:00', endAt: '2027-12-31T23:59:59+08:00' };
/** When the demo's 年终理财直播 goes on air: its reservation activity and the show on 生活 are one. */
export const DEMO_YEAREND_LIVE_AT = '2026-12-28T19:30:00+08:00';

const base = { orgUnitId: 'org-hq', schedule: RUNNING, budget: { maxRewards: 100_000 } };

/**
 * A live programme for `npm start`, of every type whose feature is open: a quiz, tasks, a
 * livestream reservation, a lucky draw, an invite and a mall promotion (assists and life
 * services come with their own features).
 */
const ACTIVITIES = [
  {
    ...base,
    code: 'DEMO-QUIZ-FRAUD',
    type: 'quiz',
    title: '防范电信诈骗知识答题',
    description: '答对 2 题即可获得积分，还能学会识别常见骗局。',
    rules: '1. 共 3 题，答对 2 题即通过；2. 每日最多作答 3 次，通过后可继续练习；3. 通过奖励 20 积分，每人限领一次。',
    priority: 90,
    reward: { kind: 'points', amount: 20 },
    settings: {
      passScore: 2,
      safety: true,
      questions: [
        {
          text: '陌生人自称“公检法”要求转账到“安全账户”，应该怎么做？',
          options: letteredOptions(['按要求转账', '挂断电话，拨打 110 核实']),
          answer: 'B',
          explanation: '公检法机关不会通过电话办案，更没有所谓“安全账户”。要求转账的，一律是诈骗。',
        },
        {
          text: '银行工作人员会向您索要短信验证码吗？',
          options: letteredOptions(['会', '不会']),
          answer: 'B',
          explanation: '验证码等同于您的支付密码，银行工作人员不会以任何理由索要，请勿告诉任何人。',
        },
        {
          text: '存款保险对每位存款人的最高偿付限额是多少？',
          options: letteredOptions(['20 万元', '50 万元', '100 万元']),
          answer: 'B',
          explanation: '《存款保险条例》规定，同一存款人在同一家银行的存款本金和利息合并计算，最高偿付 50 万元。',
        },
      ],
    },
  },
  {
    ...base,
    code: 'DEMO-QUIZ-WEEKLY',
    type: 'quiz',
    title: '反诈知识周赛',
    description: '每次从反诈题库随机抽 5 题，限时 3 分钟，本周排行榜实时更新。',
    rules:
      '1. 每次从题库随机抽取 5 题（单选、多选、判断），限时 3 分钟，超时自动交卷；2. 答对 4 题即通过，通过奖励 30 积分，每人限领一次；3. 每日最多正式作答 3 次，通过后可继续练习，练习不计入排行榜；4. 排行榜按本周最好成绩排名：答对多者在前，同分用时短者在前，昵称脱敏显示。',
    priority: 85,
    reward: { kind: 'points', amount: 30 },
    settings: { passScore: 4, bank: { codes: ['DEMO-FRAUD'], count: 5, timeLimitSeconds: 180 } },
  },
  {
    ...base,
    code: 'DEMO-LIVE-YEAREND',
    type: 'live',
    title: '年终理财直播预约',
    description: '预约本行理财经理年终直播，领取 10 积分。',
    rules: '1. 预约即得 10 积分，每人限一次；2. 直播开始前将在小程序内提醒；3. 理财有风险，投资需谨慎。',
    priority: 80,
    reward: { kind: 'points', amount: 10 },
    settings: { roomId: 'demo-room-yearend', startsAt: DEMO_YEAREND_LIVE_AT },
  },
  {
    ...base,
    code: 'DEMO-TASK-VIEW',
    type: 'task',
    title: '每日逛逛活动',
    rules: '每天浏览任意一个活动详情，即得 2 积分。',
    reward: { kind: 'points', amount: 2 },
    settings: { task: 'view', frequency: 'daily' },
  },
  {
    ...base,
    code: 'DEMO-TASK-PHONE',
    type: 'task',
    title: '绑定手机号',
    rules: '绑定微信验证的手机号，即得 30 积分，每人一次。',
    reward: { kind: 'points', amount: 30 },
    settings: { task: 'bind_phone', frequency: 'once' },
  },
  {
    ...base,
    code: 'DEMO-INVITE',
    type: 'invite',
    title: '邀请好友一起赚积分',
    description: '好友通过您的邀请链接进入并完成注册，您可获得积分。',
    rules: '1. 每成功邀请一位新客户得 50 积分；2. 每人最多邀请 20 位；3. 禁止虚假邀请，一经发现取消奖励。',
    reward: { kind: 'points', amount: 50 },
    settings: { qualifyingAction: 'register', maxInvitesPerCustomer: 20 },
  },
  {
    ...base,
    code: 'DEMO-ASSIST',
    type: 'assist',
    title: '好友助力领 100 积分',
    description: '邀请 3 位好友为您助力，48 小时内集齐即得 100 积分。',
    rules:
      '1. 发起后 48 小时内集齐 3 位好友助力，即得 100 积分；2. 每位好友只能为同一助力助力一次，不能为自己助力；3. 奖励以好友真实参与为准，分享本身不获得奖励；4. 异常助力将人工复核。',
    reward: { kind: 'points', amount: 100 },
    settings: { helpersNeeded: 3, validHours: 48 },
  },
  {
    ...base,
    code: 'DEMO-DRAW-LUCKY',
    type: 'draw',
    title: '幸运九宫格',
    description: '完成任务得抽奖机会，也可用 20 积分换一次。',
    rules:
      '1. 奖品：88 积分（500 份）、188 积分（200 份）、瑞幸咖啡 10 元券（100 份，每人限中 1 次）、定制帆布袋（30 份，每日限 3 份）、定制保温杯（10 份，每日限 2 份）、谢谢参与，各奖品概率见页面公示；\n2. 每人每天最多抽 5 次；连续 5 次未中奖，第 6 次必中（奖品有剩余时）；\n3. 帆布袋、保温杯须在中奖后 30 天内填写收货地址领取，逾期视为放弃；咖啡券自中奖起 30 天内有效；\n4. 某奖品抽完后，其概率计入“谢谢参与”。',
    priority: 80,
    budget: { maxRewards: 1000 },
    images: { cover: '/media/activity-draw.svg' },
    settings: {
      prizes: [
        { code: 'P88', name: '88 积分', kind: 'points', points: 88, valueYuan: 0.88, weight: 2500, quantity: 500 },
        { code: 'COFFEE', name: '瑞幸咖啡 10 元券', kind: 'coupon', validDays: 30, valueYuan: 10, weight: 1500, quantity: 100, perCustomerCap: 1 },
        { code: 'P188', name: '188 积分', kind: 'points', points: 188, valueYuan: 1.88, weight: 800, quantity: 200 },
        { code: 'BAG', name: '定制帆布袋', kind: 'physical', valueYuan: 30, weight: 500, quantity: 30, dailyCap: 3 },
        { code: 'CUP', name: '定制保温杯', kind: 'physical', valueYuan: 80, weight: 300, quantity: 10, dailyCap: 2 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 4400 },
      ],
      fallbackCode: 'THANKS',
      guarantee: { afterLosses: 5 },
      costPoints: 20,
      quotas: { perDay: 5 },
      claimDays: 30,
    },
  },
  {
    ...base,
    code: 'DEMO-MALL-WEEK',
    type: 'mall',
    title: '积分商城好礼周',
    description: '咖啡券、话费、保温杯，积分兑好礼。',
    rules: '活动期间积分商城商品正常兑换，数量有限，兑完即止。',
    settings: { itemCodes: ['DEMO-LUCKIN-10', 'DEMO-TOPUP-10', 'DEMO-CUP'] },
  },
];

/** Uploads the programme and has a second person approve each activity, as in production. */
export async function seedDemoActivities<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>): Promise<void> {
  await publishDemo(admin, ACTIVITIES, ['DEMO-']);
}
