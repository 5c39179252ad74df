import { activityTypeNamesZh } from '../../shared/activity-types';

/**
 * A kind of document that goes live only after 消保审核: its BFF path and its name. The schema
 * its form comes from is in forms/schemas.ts, loaded with the editing pages, not with the menu.
 */
export type ReviewedKind = {
  key: string;
  path: string;
  label: string;
  /** What the audit trail calls this kind's documents (`targetType`). */
  auditType: string;
  /** Names of the `type` values, where a kind has several. */
  typeNames?: Record<string, string>;
};

export const KINDS: readonly ReviewedKind[] = [
  { key: 'activities', auditType: 'activity', path: '/admin/activities', label: '活动', typeNames: activityTypeNamesZh },
  {
    key: 'mall',
    auditType: 'mall_item',
    path: '/admin/mall/catalogue',
    label: '商品',
    typeNames: { category: '分类', coupon: '优惠券', topup: '话费充值', membership: '会员权益', physical: '实物', perk: '银行特权' },
  },
  { key: 'questions', auditType: 'quiz_question', path: '/admin/quiz/questions', label: '题目' },
  { key: 'services', auditType: 'life_service', path: '/admin/life/services', label: '生活服务' },
  { key: 'livestreams', auditType: 'livestream', path: '/admin/livestreams', label: '直播' },
  { key: 'triggers', auditType: 'trigger', path: '/admin/triggers', label: '事件营销规则' },
  { key: 'coupons', auditType: 'cobrand_coupon', path: '/admin/coupons', label: '联名优惠券' },
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

export const kindByAuditType = (type: string) => KINDS.find((k) => k.auditType === type);
