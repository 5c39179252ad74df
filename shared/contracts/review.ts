import { z } from 'zod';

/** Contracts of maker-checker review (消保审核), shared by activities and the mall catalogue. */
export const REVIEW_STATES = ['draft', 'pending_review', 'approved', 'live', 'ended', 'withdrawn'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const ReviewDecision = z.object({ reason: z.string().trim().min(1).max(500) });
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
    })
    .meta({ id });
}

export const AuditEntry = z.object({
  seq: z.number().int(),
  action: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  at: z.string(),
  revision: z.number().int().nullable(),
  reason: z.string().nullable(),
  diff: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
});

export const BulkUploadJson = z.object({ items: z.array(z.unknown()).min(1).max(1000) });
export const BulkUploadResult = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type BulkUploadResult = z.infer<typeof BulkUploadResult>;
