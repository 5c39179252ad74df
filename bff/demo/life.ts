import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

const s = (code: string, category: string, name: string, description: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  code: `DEMO-LIFE-${code}`,
  type: 'life_service',
  orgUnitId: 'org-hq',
  category,
  name,
  description,
  target,
  ...extra,
});

/** The demo 生活 grid: partner mini-programs, the bank's allowlisted pages and this app's own pages. */
const SERVICES = [
  s('POWER', 'payments', '电费缴纳', '国网电费一键缴纳', { kind: 'miniprogram', appId: 'wx8f1a2b3c4d5e6f70', path: 'pages/power/index' }, { pinned: true, order: 10 }),
  s('WATER', 'payments', '水费燃气', '水费、燃气费在线缴', { kind: 'miniprogram', appId: 'wx8f1a2b3c4d5e6f70', path: 'pages/water/index' }, { order: 20 }),
  s('PHONE', 'payments', '话费充值', '积分也能充话费', { kind: 'page', path: '/pages/mall/index' }, { order: 30 }),
  s('SOCIAL', 'social_security', '社保查询', '电子社保卡与缴费记录', { kind: 'miniprogram', appId: 'wx91b2c3d4e5f60718' }, { pinned: true, order: 10 }),
  s('FUND', 'social_security', '公积金', '公积金余额与提取进度', { kind: 'web', url: 'https://service.yxbank.cn/fund' }, { order: 20, hours: { open: '06:00', close: '23:00' } }),
  s('MEDICAL', 'medical', '医保码', '医保电子凭证，看病买药出示', { kind: 'miniprogram', appId: 'wxa2c3d4e5f6071829' }, { order: 10 }),
  s('METRO', 'transport', '乘车码', '地铁公交扫码乘车', { kind: 'miniprogram', appId: 'wxb3d4e5f607182930' }, { pinned: true, order: 10 }),
  s('ETC', 'transport', 'ETC 办理', '线上申请 ETC，通行费优惠', { kind: 'web', url: 'https://m.yxbank.cn/etc' }, { order: 20 }),
  s('COUPONS', 'cobrand', '联名优惠', '商户联名券，到店出示核销', { kind: 'page', path: '/packages/life/coupons/index' }, { order: 10 }),
  s('LIVE', 'bank', '直播间', '理财直播预约与回放', { kind: 'page', path: '/packages/life/lives/index' }, { order: 10 }),
  s('BRANCH', 'bank', '网点预约', '预约到网点办理业务', { kind: 'web', url: 'https://m.yxbank.cn/branch' }, { order: 20 }),
];

export async function seedDemoLifeServices<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>): Promise<void> {
  await publishDemo(admin, SERVICES, ['DEMO-LIFE-']);
}
