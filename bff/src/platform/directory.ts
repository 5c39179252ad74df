import type { PointsBalance } from '@shared/contracts/points';
import type { StaffRole } from '@shared/roles';

/**
 * What capabilities read of the records a few others own: org units, staff, customers and
 * points accounts. Declared here, implemented by the owning capability (org, staff, customers,
 * points) and handed to every module through the context, so no capability imports another's
 * repository and the context depends on no capability.
 */

export type OrgLevel = 'head' | 'branch' | 'sub-branch';
/** A unit of the bank (总行 / 分行 / 支行); `path` lists its ancestors and itself, root first. */
export type OrgUnit = { id: string; name: string; level: OrgLevel; parentId: string | null; path: string[] };

export type OrgDirectory = {
  findById(id: string): Promise<OrgUnit | null>;
  /** The unit and every unit below it: what a member of staff there may see. */
  subtreeIds(id: string): Promise<string[]>;
  /** The unit and every unit below it, in one read. */
  subtree(id: string): Promise<OrgUnit[]>;
  /** Those of these units that exist, in one read by `_id`. */
  findByIds(ids: string[]): Promise<OrgUnit[]>;
};

export type StaffMember = {
  id: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
  orgUnitId: string;
  name: string;
  phone: string | null;
  disabled: boolean;
  createdAt: Date;
};

export type StaffDirectory = {
  findById(id: string): Promise<StaffMember | null>;
  findByUsername(username: string): Promise<StaffMember | null>;
  /** Those of these members that exist, in one read by `_id`. */
  findByIds(ids: string[]): Promise<StaffMember[]>;
  /** Maker-checker across accounts: nobody checks the work of whoever gave them their access. */
  requireIndependent(checkerId: string, makerIds: string[]): Promise<void>;
};

export type Customer = {
  id: string;
  customerNo: string;
  openid: string;
  unionid: string | null;
  nickname: string | null;
  name: string | null;
  phone: string | null;
  /** The ID number is never stored as given: a keyed hash (to match the bank's records) and this masked form. */
  idNumberMasked: string | null;
  orgUnitId: string | null;
  /** Off: the customer sees no personalised (targeted) marketing (PIPL art. 24). */
  personalized: boolean;
  createdAt: Date;
};

export type CustomerDirectory = {
  findById(id: string): Promise<Customer | null>;
  /** Those of these customers that exist, in one read by `_id`. */
  findByIds(ids: string[]): Promise<Customer[]>;
  /** The service desk's lookups: by 客户号 or phone number through their `_id`-keyed lookups, by part of a nickname (a scan). */
  findByCustomerNo(customerNo: string): Promise<Customer | null>;
  findByPhone(phone: string): Promise<Customer | null>;
  findByNickname(nickname: string, limit: number): Promise<Customer[]>;
  /** Every customer's id and registration time, read in one pass (a scan: for estimates staff ask for, never a customer's request). */
  signups(): AsyncIterable<{ id: string; createdAt: Date }>;
  /** Finds the customer for a WeChat identity or creates one (sign-in). */
  findOrCreateByWechat(identity: { appid: string; openid: string; unionid?: string }): Promise<{ customerId: string; created: boolean }>;
  /** Resolves the ways the bank's systems name a customer to our customer id. */
  resolveId(ref: { customerId?: string; openid?: string; phoneHash?: string }, appid: string): Promise<string | null>;
};

/** A points entry as other capabilities read it back by its key. */
type PointsEntry = { seq: number; key: string; at: Date; data: { amount: number; balance: number } };

/** Customers' points accounts: every change is keyed, so it happens once however often it is asked for. */
export type PointsAccounts = {
  earn(customerId: string, amount: number, key: string, description: string, ref?: Record<string, string>): Promise<unknown>;
  spend(customerId: string, amount: number, key: string, description: string, ref?: Record<string, string>): Promise<unknown>;
  /** Gives back what the spend keyed `spendKey` took, once per `key`. */
  refund(customerId: string, spendKey: string, key: string, description: string, ref?: Record<string, string>): Promise<unknown>;
  balance(customerId: string): Promise<PointsBalance>;
  /**
   * Reads the account's stored head hint into this process's, beside other work, so a change that
   * follows does not wait to read it (a hint only: the change re-reads if the hint lagged).
   */
  prefetch(customerId: string): Promise<void>;
  findByKey(customerId: string, key: string): Promise<PointsEntry | null>;
  /** The activities that paid this customer points in their latest `limit` entries, newest first. */
  recentActivities(customerId: string, limit: number): Promise<string[]>;
  /** Checks one account from its first entry; the problems found. */
  check(customerId: string): Promise<string[]>;
};
