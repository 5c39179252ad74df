import { z } from 'zod';
import { trimmedText } from './common';
import { pageNumberFields } from './paging';

/** Contracts of maker-checker review (消保审核), shared by activities and the mall catalogue. */
export const REVIEW_STATES = ['draft', 'pending_review', 'approved', 'live', 'ended', 'withdrawn'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const reviewStateNamesZh: Record<ReviewState, string> = {
  draft: '草稿',
  pending_review: '待审核',
  approved: '已通过待上线',
  live: '进行中',
  ended: '已结束',
  withdrawn: '已下线',
};

/** The steps of a reviewed document's history, each with the name the console shows. */
export const REVIEW_ACTIONS = ['created', 'edited', 'submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
export const reviewActionNamesZh: Record<ReviewAction, string> = {
  created: '创建',
  edited: '修改',
  submitted: '提交审核',
  approved: '审核通过',
  rejected: '驳回',
  withdrawn: '下线',
};

export const ReviewDecision = z.object({ reason: trimmedText(1).max(500) });
export const OptionalReason = z.object({ reason: z.string().trim().max(500).optional() });

/** A reviewed document as admins and reviewers see it: the live content and the one in progress. */
export function adminDocument<T extends readonly [string, ...string[]]>(types: T, id: string) {
  return z
    .object({
      id: z.string(),
      code: z.string(),
      type: z.enum(types),
      orgUnitId: z.string(),
      state: z.enum(REVIEW_STATES),
      liveRevision: z.number().int().nullable(),
      workingRevision: z.number().int().nullable().describe('A draft or pending revision, if any'),
      workingState: z.enum(['draft', 'pending_review', 'rejected']).nullable(),
      live: z.unknown().nullable().describe('The approved content customers see'),
      working: z.unknown().nullable().describe('The draft or pending content'),
      rejectionReason: z.string().nullable(),
      authorId: z.string().nullable().describe('Who wrote the working revision'),
      submittedBy: z.string().nullable().describe('Who submitted the working revision for review'),
      submittedAt: z.string().nullable().describe('When the working revision was submitted for review (unknown for revisions submitted before this was kept)'),
    })
    .meta({ id });
}

const isoDate = z.iso.datetime({ offset: true });
/** Filters and paging of a reviewed kind's admin list; the state is computed at the time of the request. */
export const ReviewedListQuery = z
  .object({
    state: z.enum(REVIEW_STATES).optional(),
    workingState: z.enum(['draft', 'pending_review', 'rejected']).optional().describe('pending_review: everything awaiting a reviewer, new documents and edits of live ones'),
    type: z
      .string()
      .regex(/^[a-z_]{1,32}$/)
      .optional(),
    orgUnitId: z.string().min(1).max(64).optional().describe('Only this unit (it must be in the caller’s subtree)'),
    q: trimmedText(1).max(64).optional().describe('Part of the code or title'),
    from: isoDate.optional().describe('In effect at some time on or after this'),
    to: isoDate.optional().describe('In effect at some time before this; after from (else 422 VALIDATION_RULE_FAILED)'),
    ...pageNumberFields,
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '开始时间须早于结束时间', path: ['to'] });
export type ReviewedListQuery = z.infer<typeof ReviewedListQuery>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  action: z.enum(REVIEW_ACTIONS),
  actorId: z.string(),
  actorRole: z.string(),
  at: z.string(),
  revision: z.number().int().nullable(),
  reason: z.string().nullable(),
  diff: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
});

/** What every two-person approval request shows, whatever it asks for (adjustments, staff grants). */
export const ApprovalFields = z.object({
  id: z.string(),
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
});

/** What a pending request shows its checker besides its own fields: who asked, by name (its kind adds what it is about, by name). */
export const pendingApprovalFields = {
  requestedByName: z.string().describe('Masked name of the member of staff who asked; 系统（风控） when the system raised it'),
};

/** The operator audit trail (`GET /admin/audit`): who did what to which record, when and why. */
export const AuditRecord = z
  .object({
    id: z.string(),
    actorId: z.string(),
    actorRole: z.string(),
    orgUnitId: z.string().nullable(),
    at: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    reason: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditRecord' });
export type AuditRecord = z.infer<typeof AuditRecord>;

const isoInstant = z.iso.datetime({ offset: true });
export const AuditQuery = z
  .object({
    actorId: z.string().min(1).max(64).optional(),
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/, 'an action such as staff.created')
      .optional(),
    targetType: z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
    targetId: z.string().min(1).max(128).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional().describe('After from (else 422 VALIDATION_RULE_FAILED)'),
    cursor: z.string().max(300).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '开始时间须早于结束时间', path: ['to'] });
export const AuditPage = z.object({ items: z.array(AuditRecord), nextCursor: z.string().nullable() });

const BULK_ROWS = { min: 1, max: 1000 };
/**
 * A bulk body's byte limit, in place of the app's (1 MB): room for the most rows the document
 * allows at 16 KB each, a row of every field at a generous size even with its text sent as
 * `\u` escapes. So a body of more rows than documented is refused for what it is (400 naming
 * `items`), not for its bytes (413), and the document's largest upload fits.
 */
export const BULK_BODY_BYTES = BULK_ROWS.max * 16 * 1024;
/** What the bulk route parses; each row is then checked against the kind's own schema, all rows at once. */
export const BulkUploadJson = z.object({ items: z.array(z.unknown()).min(BULK_ROWS.min).max(BULK_ROWS.max) });
/** The bulk body as documented: rows of the kind's input. */
export const bulkUploadOf = (row: z.ZodType) => z.object({ items: z.array(row).min(BULK_ROWS.min).max(BULK_ROWS.max) });
export const BulkUploadQuery = z.object({ dryRun: z.enum(['true', 'false']).optional().describe('true: check every row and report what would change, saving nothing') });
export const BulkUploadResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  dryRun: z.boolean(),
  rows: z.array(
    z.object({
      index: z.number().int(),
      code: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      id: z.string().nullable().describe('The document; null for one a dry run would create'),
    }),
  ),
});
export type BulkUploadResult = z.infer<typeof BulkUploadResult>;

export const BannedWords = z.object({ words: z.array(z.string()) });
