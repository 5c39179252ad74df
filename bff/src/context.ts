import type { Config } from './config';
import type { CustomerRepository } from './customers';
import type { OrgRepository } from './org/repository';
import type { Scope } from './org/scope';
import type { AuditLog } from './platform/audit';
import type { BankSignatureVerifier } from './platform/auth/bank-signature';
import type { TokenService } from './platform/auth/tokens';
import type { Clock } from './platform/clock';
import type { Database } from './platform/db';
import type { EventFeed } from './platform/event-feed';
import type { Faults } from './platform/faults';
import type { JobBooks } from './platform/job-books';
import type { Logger } from './platform/logger';
import type { Outbox } from './platform/outbox';
import type { RateLimiter } from './platform/rate-limit';
import type { WechatClient } from './platform/wechat/client';
import type { PointsLedger } from './points/ledger';
import type { StaffRepository } from './staff';

/**
 * What every capability module is built from: the platform, and the few records many
 * capabilities read (org units and their scope, staff, customers, the points ledger). Each
 * of those still belongs to one module, which creates its indexes and seeds it.
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
  org: OrgRepository;
  scope: Scope;
  staff: StaffRepository;
  customers: CustomerRepository;
  points: PointsLedger;
  /** Maker-checker across accounts: nobody checks the work of whoever gave them their access. */
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
};
