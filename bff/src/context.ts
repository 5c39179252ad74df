import type { Config } from './config';
import type { AuditLog } from './platform/audit';
import type { BankSignatureVerifier } from './platform/auth/bank-signature';
import type { Scope } from './platform/auth/scope';
import type { TokenService } from './platform/auth/tokens';
import type { Clock } from './platform/clock';
import type { Database } from './platform/db';
import type { CustomerDirectory, OrgDirectory, PointsAccounts, StaffDirectory } from './platform/directory';
import type { EventFeed } from './platform/event-feed';
import type { Faults } from './platform/faults';
import type { JobBooks } from './platform/job-books';
import type { Logger } from './platform/logger';
import type { Outbox } from './platform/outbox';
import type { RateLimiter } from './platform/rate-limit';
import type { WechatClient } from './platform/wechat/client';

/**
 * What every capability module is built from: the platform, and the platform's interfaces to
 * the few records many capabilities read (org units and their scope, staff, customers, points
 * accounts; see platform/directory). Each of those is implemented by the one module that owns
 * the records, creates their indexes and seeds them; the context never holds a capability's
 * repository, so it imports none.
 */
export type AppContext = {
  config: Config;
  db: Database;
  clock: Clock;
  faults: Faults;
  logger: Logger;
  tokens: TokenService;
  wechat: WechatClient;
  outbox: Outbox;
  /** Every kept event: promised to the bank's sinks before it is stored, and told to the capabilities that react to events. */
  events: EventFeed;
  audit: AuditLog;
  /** Each periodic job's outcome, and the items a job could not finish (run them with `each`). */
  jobBooks: JobBooks;
  rateLimiter: RateLimiter;
  bankSignature: BankSignatureVerifier;
  org: OrgDirectory;
  scope: Scope;
  staff: StaffDirectory;
  customers: CustomerDirectory;
  points: PointsAccounts;
  /** Maker-checker across accounts: nobody checks the work of whoever gave them their access. */
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
};
