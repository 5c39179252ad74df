import { LibraryContentInput } from '@shared/contracts/content-library';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';

export type ContentDoc = ReviewedView<LibraryContentInput>;

/** The org units whose staff may share a piece of content: those it names, else its issuing unit. */
export const usableBy = (c: LibraryContentInput): string[] => (c.unitIds?.length ? c.unitIds : [c.orgUnitId]);

/** Live from its approval within its validity: customers open it, managers share it, only then. */
export const createContentRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<LibraryContentInput, object>(
    db,
    clock,
    { name: 'library_content', viewCollection: 'library_contents', window: (c) => ({ start: new Date(c.startAt), end: new Date(c.endAt) }), extra: () => ({}) },
    faults,
  );
export type ContentRepository = ReturnType<typeof createContentRepository>;

/**
 * 话术, posters and articles, reviewed by 消保 like activities: banned wording is refused in every
 * field at submission (the workflow searches the whole document), a second person approves, and
 * every unit allowed to use it is in the author's subtree.
 */
export function createContentAdmin(deps: ReviewPlatformDeps & { contents: ContentRepository }) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.contents,
    schema: LibraryContentInput,
    label: '内容',
    errors: REVIEW_ERRORS,
    events: { published: EventName.CONTENT_PUBLISHED, withdrawn: EventName.CONTENT_WITHDRAWN, idField: 'contentId' },
    unitsOf: (c) => c.unitIds ?? [],
  });
}
export type ContentAdmin = ReturnType<typeof createContentAdmin>;

/** CSV columns: `unitIds` as JSON. */
export const csvRowToContent = csvRowReader({ json: new Set(['unitIds']), numbers: new Set() });
