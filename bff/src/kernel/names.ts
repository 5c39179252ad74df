import { maskedDisplayName, maskName } from '@shared/masking';
import type { CustomerDirectory, OrgDirectory, StaffDirectory } from '@/platform/directory';
import { SYSTEM } from './approvals';

/**
 * How back-office lists name the people and units a record refers to: staff by masked name,
 * customers by masked name and 客户号, org units by name, never by id. Each reads its records in
 * one batch by `_id` and answers a lookup by id.
 */

const lookup = async <T extends { id: string }, N>(ids: string[], read: (ids: string[]) => Promise<T[]>, name: (record: T) => N) => {
  const found = new Map((await read(ids)).map((record) => [record.id, name(record)]));
  return (id: string) => found.get(id);
};

/** A member of staff a record names who is no longer there. */
export const GONE_STAFF = '已删除的员工';

export async function staffNames(staff: Pick<StaffDirectory, 'findByIds'>, ids: string[]): Promise<(id: string) => string> {
  const name = await lookup(
    ids.filter((id) => id !== SYSTEM),
    (some) => staff.findByIds(some),
    (m) => maskName(m.name),
  );
  return (id) => (id === SYSTEM ? '系统（风控）' : (name(id) ?? GONE_STAFF));
}

const UNKNOWN_UNIT = '未知机构';

export async function orgNames(org: Pick<OrgDirectory, 'findByIds'>, ids: string[]): Promise<(id: string) => string> {
  const name = await lookup(
    ids,
    (some) => org.findByIds(some),
    (u) => u.name,
  );
  return (id) => name(id) ?? UNKNOWN_UNIT;
}

/** Masked name / 客户号: enough to find the customer at the service desk, never a phone number in clear. */
export async function customerLabels(customers: Pick<CustomerDirectory, 'findByIds'>, ids: string[]): Promise<(id: string) => string> {
  const label = await lookup(
    ids,
    (some) => customers.findByIds(some),
    (c) => `${maskedDisplayName(c)} / ${c.customerNo}`,
  );
  return (id) => label(id) ?? '未知客户';
}
