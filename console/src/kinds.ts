import type { z } from 'zod';
import type { OperationId } from '@shared/api';
import type { adminDocument } from '@shared/contracts/review';

/** A reviewed kind's operationIds by verb, named after its noun as shared/api/reviewed.ts names them (KINDS checks each against the contract). */
const operationsOf = <const One extends string, const Many extends string>(one: One, many: Many) =>
  ({
    list: `list${many}`,
    get: `get${one}`,
    create: `create${one}`,
    update: `update${one}`,
    submit: `submit${one}`,
    approve: `approve${one}`,
    reject: `reject${one}`,
    withdraw: `withdraw${one}`,
    history: `get${one}History`,
    bulk: `bulkUpload${many}`,
    bulkCsv: `bulkUpload${many}Csv`,
  }) as const;

/**
 * The kinds of document that go live only after 消保审核: their operations and their names.
 * `group`: the menu they are listed under (内容管理, or 经营管理 for what steers the bank's people).
 * The schema a kind's form comes from is in forms/schemas.ts and the names of its `type`
 * values in pages/content/names.ts, loaded with the pages that use them, not with the menu.
 */
export const KINDS = [
  { key: 'activities', auditType: 'activity', operations: operationsOf('Activity', 'Activities'), label: '活动', group: 'content' },
  { key: 'mall', auditType: 'mall_item', operations: operationsOf('CatalogueEntry', 'CatalogueEntries'), label: '商品', group: 'content' },
  { key: 'questions', auditType: 'quiz_question', operations: operationsOf('QuizQuestion', 'QuizQuestions'), label: '题目', group: 'content' },
  { key: 'services', auditType: 'life_service', operations: operationsOf('LifeService', 'LifeServices'), label: '生活服务', group: 'content' },
  { key: 'livestreams', auditType: 'livestream', operations: operationsOf('Livestream', 'Livestreams'), label: '直播', group: 'content' },
  { key: 'triggers', auditType: 'trigger', operations: operationsOf('Trigger', 'Triggers'), label: '事件营销规则', group: 'content' },
  { key: 'coupons', auditType: 'cobrand_coupon', operations: operationsOf('CobrandCoupon', 'CobrandCoupons'), label: '联名优惠券', group: 'content' },
  { key: 'rm-tasks', auditType: 'rm_task', operations: operationsOf('RmTask', 'RmTasks'), label: '营销任务', group: 'steering' },
  { key: 'library', auditType: 'library_content', operations: operationsOf('LibraryContent', 'LibraryContents'), label: '内容库', group: 'steering' },
  { key: 'lead-rules', auditType: 'lead_rule', operations: operationsOf('LeadRule', 'LeadRules'), label: '商机规则', group: 'steering' },
  { key: 'targets', auditType: 'programme_target', operations: operationsOf('Target', 'Targets'), label: '经营目标', group: 'steering' },
] as const satisfies readonly { key: string; auditType: string; operations: Record<string, OperationId>; label: string; group: 'content' | 'steering' }[];

/** A kind of reviewed document; `auditType` is what the audit trail calls its documents (`targetType`). */
export type ReviewedKind = (typeof KINDS)[number];

export const kindByKey = (key: string | undefined): ReviewedKind | undefined => KINDS.find((k) => k.key === key);

/** A reviewed document as the admin list and detail return it, whatever its kind. */
export type AdminDoc = z.infer<ReturnType<typeof adminDocument<[string, ...string[]]>>>;

export const titleOf = (doc: AdminDoc): string => {
  const content = (doc.working ?? doc.live ?? {}) as Record<string, unknown>;
  return String(content.title ?? content.name ?? content.text ?? doc.code);
};

export const kindByAuditType = (type: string): ReviewedKind | undefined => KINDS.find((k) => k.auditType === type);
