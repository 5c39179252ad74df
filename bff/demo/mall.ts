import type { PointsAccounts } from '../src/platform/directory';
import { publishDemo } from './publish';
import { DEMO_CUSTOMERS } from './people';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';
import type { CodePools } from '../src/kernel/code-pools';

// Fixed dates: the same file every start, so uploading it again changes nothing.
const ON_SALE = { startAt: '2026-01-01T00:00:00+08:00', endAt: '2027-12-31T23:59:59+08:00' };
const item = { orgUnitId: 'org-hq', saleWindow: ON_SALE, description: '' };

const CATALOGUE = [
  { code: 'CAT-LIFE', type: 'category', orgUnitId: 'org-hq', name: '生活权益', sortOrder: 1 },
  { code: 'CAT-GIFT', type: 'category', orgUnitId: 'org-hq', name: '精选好礼', sortOrder: 2 },
  { code: 'CAT-BANK', type: 'category', orgUnitId: 'org-hq', name: '银行特权', sortOrder: 3 },
  {
    ...item,
    code: 'DEMO-LUCKIN-10',
    images: { cover: '/media/demo-coffee.svg', gallery: [] },
    type: 'coupon',
    categoryCode: 'CAT-LIFE',
    title: '瑞幸咖啡 10 元券',
    description: '全国门店通用，有效期 30 天。',
    pricePoints: 100,
    initialStock: 200,
    limits: { perDay: 1 },
    fulfilment: { couponName: '瑞幸咖啡 10 元券', validDays: 30 },
    sortOrder: 1,
  },
  {
    ...item,
    code: 'DEMO-TOPUP-10',
    images: { cover: '/media/demo-topup.svg', gallery: [] },
    type: 'topup',
    categoryCode: 'CAT-LIFE',
    title: '手机话费 10 元',
    description: '支持三大运营商，10 分钟内到账。',
    pricePoints: 1000,
    initialStock: 500,
    limits: { perDay: 2 },
    fulfilment: { productCode: 'CM-10', faceValueYuan: 10 },
    sortOrder: 2,
  },
  {
    ...item,
    code: 'DEMO-VIDEO-1M',
    images: { cover: '/media/demo-video.svg', gallery: [] },
    type: 'membership',
    categoryCode: 'CAT-LIFE',
    title: '视频会员月卡',
    description: '兑换后充值到所填手机号对应的会员账户。',
    pricePoints: 1500,
    initialStock: 100,
    fulfilment: { productCode: 'VIP-1M', months: 1 },
    sortOrder: 3,
  },
  {
    ...item,
    code: 'DEMO-MOVIE',
    images: { cover: '/media/demo-movie.svg', gallery: [] },
    type: 'coupon',
    categoryCode: 'CAT-LIFE',
    title: '电影票兑换券',
    pricePoints: 300,
    initialStock: 0,
    fulfilment: { couponName: '电影票兑换券', validDays: 60 },
    sortOrder: 4,
  },
  {
    ...item,
    code: 'DEMO-CUP',
    images: { cover: '/media/demo-cup.svg', gallery: [] },
    type: 'physical',
    categoryCode: 'CAT-GIFT',
    title: '定制保温杯',
    description: '316 不锈钢内胆，500ml。',
    pricePoints: 800,
    initialStock: 50,
    limits: { lifetime: 1 },
    fulfilment: { shippingNote: '顺丰包邮，7 个工作日内发货' },
    sortOrder: 1,
  },
  {
    ...item,
    code: 'DEMO-LOUNGE',
    images: { cover: '/media/demo-lounge.svg', gallery: [] },
    type: 'perk',
    categoryCode: 'CAT-BANK',
    title: '机场贵宾厅单次权益',
    description: '国内 60 余个机场可用。',
    pricePoints: 3000,
    initialStock: 100,
    allowedTiers: ['V4', 'V5'],
    fulfilment: { instructions: '到贵宾厅前台出示券号及本人身份证件' },
    sortOrder: 1,
  },
];

/** A small live mall for `npm start`: categories, one item of each kind, a sold-out one, and points to spend. */
export async function seedDemoMall<C extends ReviewedContent, X extends object>({
  catalogueAdmin,
  codes,
  points,
}: {
  catalogueAdmin: ReviewWorkflow<C, X>;
  codes: CodePools;
  points: PointsAccounts;
}): Promise<void> {
  for (const entry of await publishDemo(catalogueAdmin, CATALOGUE, ['CAT-', 'DEMO-'])) {
    if (entry.code === 'DEMO-LUCKIN-10') {
      const demoCodes = Array.from({ length: 200 }, (_, i) => `LK2026${String(i + 1).padStart(6, '0')}`);
      await codes.upload(entry.id, demoCodes);
    }
  }
  for (const customer of DEMO_CUSTOMERS) {
    await points.earn(customer.id, 2000, `demo-grant:${customer.id}`, '新客礼遇积分');
  }
}
