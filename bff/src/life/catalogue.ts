import { LifeServiceInput } from '@shared/contracts/life';
import { EventName } from '@shared/events';
import { checkWebviewUrl } from '@shared/life-rules';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';

/** A service is on offer from its approval until it is withdrawn. */
const ALWAYS = { start: new Date(0), end: new Date('9999-12-31T00:00:00Z') };

export type LifeServiceView = ReviewedView<LifeServiceInput> & { live: LifeServiceInput };

export const createLifeServiceRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<LifeServiceInput, object>(db, clock, { name: 'life_service', viewCollection: 'life_services', window: () => ALWAYS, extra: () => ({}) }, faults);
export type LifeServiceRepository = ReturnType<typeof createLifeServiceRepository>;

/** Refuses a web-view address that is malformed or off the allowlist, naming the field. */
function requireWebviewUrl(url: string, allowlist: readonly string[], path: string): void {
  const checked = checkWebviewUrl(url, allowlist);
  if (!checked.ok) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path, message: checked.reason }] });
}

/**
 * The 生活 catalogue, reviewed like activities. A web page's address must pass the bank's
 * allowlist (WeChat's 业务域名; https, no userinfo, no backslash, no port) at upload, at edit,
 * at submission and at approval; it is checked again whenever a customer reads the catalogue,
 * so a domain removed since is never shown, and the address is handed out normalised.
 */
export function createLifeServiceAdmin(deps: ReviewPlatformDeps & { services: LifeServiceRepository; allowlist: readonly string[] }) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.services,
    schema: LifeServiceInput,
    checkContent(s) {
      if (s.target.kind === 'web') requireWebviewUrl(s.target.url, deps.allowlist, 'target.url');
    },
    label: '生活服务',
    errors: REVIEW_ERRORS,
    events: { published: EventName.LIFE_SERVICE_PUBLISHED, withdrawn: EventName.LIFE_SERVICE_WITHDRAWN, idField: 'serviceId' },
  });
}
export type LifeServiceAdmin = ReturnType<typeof createLifeServiceAdmin>;

/** CSV columns: `target`, `eligibility`, `hours`, `maintenance` and `pinned` as JSON. */
export const csvRowToLifeService = csvRowReader({ json: new Set(['target', 'eligibility', 'hours', 'maintenance', 'pinned']), numbers: new Set(['order']) });
