import type { TestBff } from './bff';
import { staffToken } from './seed';

export type StaffInput = { username: string; password: string; role: 'rm' | 'admin' | 'reviewer'; orgUnitId: string; name: string };

/** Opens a staff account as a bank does: one head-office admin asks, a second approves. Returns its id. */
export async function createStaffAccount(bff: TestBff, input: StaffInput, makers = { requester: 'admin', approver: 'admin2' }): Promise<string> {
  const requested = await bff.call('createStaff', { body: input }, { token: await staffToken(bff, makers.requester) });
  if (requested.status !== 202) throw new Error(`staff request failed: ${requested.status} ${JSON.stringify(requested.body)}`);
  const approved = await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: await staffToken(bff, makers.approver) });
  if (approved.status !== 200) throw new Error(`staff approval failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  return requested.body.staffId;
}

/** Changes an account; a change that gives access is approved by the second head-office admin. */
export async function changeStaffAccount(bff: TestBff, id: string, changes: Record<string, unknown>): Promise<void> {
  const res = await bff.request('PATCH', `/api/v1/admin/staff/${id}`, { token: await staffToken(bff, 'admin'), body: changes });
  if (res.status === 202) {
    const approved = await bff.call('approveStaffGrant', { params: { id: res.body.id }, body: {} }, { token: await staffToken(bff, 'admin2') });
    if (approved.status !== 200) throw new Error(`staff change approval failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  } else if (res.status !== 200) throw new Error(`staff change failed: ${res.status} ${JSON.stringify(res.body)}`);
}
