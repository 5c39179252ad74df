import type { z } from 'zod';
import { ActivityInput, activityTypeNamesZh } from '../../shared/contracts/activities';
import { CobrandCouponInput } from '../../shared/contracts/coupons';
import { LifeServiceInput } from '../../shared/contracts/life';
import { LivestreamInput } from '../../shared/contracts/livestreams';
import { CatalogueEntryInput } from '../../shared/contracts/mall';
import { QuestionInput } from '../../shared/contracts/quiz-bank';
import { TriggerInput } from '../../shared/contracts/triggers';

/** A kind of document that goes live only after 消保审核: its BFF path, its name, and the schema its form comes from. */
export type ReviewedKind = {
  key: string;
  path: string;
  label: string;
  schema: z.ZodType;
  /** Names of the `type` values, where a kind has several. */
  typeNames?: Record<string, string>;
};

export const KINDS: readonly ReviewedKind[] = [
  { key: 'activities', path: '/admin/activities', label: '活动', schema: ActivityInput, typeNames: activityTypeNamesZh },
  {
    key: 'mall',
    path: '/admin/mall/catalogue',
    label: '商品',
    schema: CatalogueEntryInput,
    typeNames: { category: '分类', coupon: '优惠券', topup: '话费充值', membership: '会员权益', physical: '实物', perk: '银行特权' },
  },
  { key: 'questions', path: '/admin/quiz/questions', label: '题目', schema: QuestionInput },
  { key: 'services', path: '/admin/life/services', label: '生活服务', schema: LifeServiceInput },
  { key: 'livestreams', path: '/admin/livestreams', label: '直播', schema: LivestreamInput },
  { key: 'triggers', path: '/admin/triggers', label: '事件营销规则', schema: TriggerInput },
  { key: 'coupons', path: '/admin/coupons', label: '联名优惠券', schema: CobrandCouponInput },
];

export const kindByKey = (key: string | undefined) => KINDS.find((k) => k.key === key);

export const STATE_NAMES: Record<string, { text: string; color: string }> = {
  draft: { text: '草稿', color: 'default' },
  pending_review: { text: '待审核', color: 'orange' },
  approved: { text: '已通过待上线', color: 'blue' },
  live: { text: '进行中', color: 'green' },
  ended: { text: '已结束', color: 'default' },
  withdrawn: { text: '已下线', color: 'red' },
};

/** A reviewed document as the admin list and detail return it. */
export type AdminDoc = {
  id: string;
  code: string;
  type: string;
  orgUnitId: string;
  state: string;
  liveRevision: number | null;
  workingRevision: number | null;
  workingState: 'draft' | 'pending_review' | 'rejected' | null;
  live: Record<string, unknown> | null;
  working: Record<string, unknown> | null;
  rejectionReason: string | null;
  authorId: string | null;
  submittedBy: string | null;
};

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export const titleOf = (doc: AdminDoc): string => {
  const content = doc.working ?? doc.live ?? {};
  return String(content.title ?? content.name ?? content.text ?? doc.code);
};
