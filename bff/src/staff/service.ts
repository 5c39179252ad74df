import type { StaffProfile } from '../../../shared/contracts/profile';
import { maskName } from '../../../shared/masking';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors';
import type { OrgRepository } from '../org/repository';
import type { Scope } from '../org/scope';
import type { StaffMember, StaffRepository } from './repository';
import type { AuditLog } from '../platform/audit';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../auth/password';
import { randomUUID } from 'node:crypto';
import type { StaffRole } from '../../../shared/roles';

const toProfile = (m: StaffMember): StaffProfile => ({
  id: m.id,
  username: m.username,
  role: m.role,
  orgUnitId: m.orgUnitId,
  maskedName: maskName(m.name),
});

export function createStaffService(deps: { staff: StaffRepository; org: OrgRepository; scope: Scope; audit: AuditLog; clock: Clock }) {
  /** Staff accounts and roles are managed by head-office admins only. */
  async function requireHeadOffice(principal: Principal) {
    if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行管理员可以管理员工账号' });
  }
  async function requireUnit(orgUnitId: string) {
    if (!(await deps.org.findById(orgUnitId))) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'body.orgUnitId', message: '机构不存在' }] });
  }

  return {
    async create(principal: Principal, input: { username: string; password: string; role: StaffRole; orgUnitId: string; name: string }): Promise<StaffProfile> {
      await requireHeadOffice(principal);
      await requireUnit(input.orgUnitId);
      const member: StaffMember = {
        id: randomUUID(),
        username: input.username,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        orgUnitId: input.orgUnitId,
        name: input.name,
        phone: null,
        disabled: false,
        createdAt: deps.clock.now(),
      };
      if (!(await deps.staff.create(member))) throw new AppError('CONFLICT', { message: '用户名已存在', issues: [{ path: 'body.username', message: '用户名已存在' }] });
      await deps.audit.record(principal, { action: 'staff.created', targetType: 'staff', targetId: member.id, detail: { role: member.role, orgUnitId: member.orgUnitId } });
      return toProfile(member);
    },

    async update(principal: Principal, id: string, changes: { role?: StaffRole; orgUnitId?: string; disabled?: boolean; reason: string }): Promise<StaffProfile> {
      await requireHeadOffice(principal);
      const before = await deps.staff.findById(id);
      if (!before) throw new AppError('NOT_FOUND');
      if (changes.orgUnitId) await requireUnit(changes.orgUnitId);
      const { reason, ...fields } = changes;
      const after = (await deps.staff.update(id, fields))!;
      await deps.audit.record(principal, {
        action: 'staff.updated',
        targetType: 'staff',
        targetId: id,
        reason,
        detail: { before: { role: before.role, orgUnitId: before.orgUnitId, disabled: before.disabled }, after: fields },
      });
      return toProfile(after);
    },

    async getProfile(principal: Principal): Promise<StaffProfile> {
      const member = await deps.staff.findById(principal.id);
      if (!member) throw new AppError('NOT_FOUND');
      return toProfile(member);
    },
    /** Staff of the admin's own unit and the units below it; nothing from elsewhere in the bank. */
    async listVisibleStaff(principal: Principal): Promise<StaffProfile[]> {
      if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
      return (await deps.staff.listInOrgUnits(await deps.scope.unitIds(principal))).map(toProfile);
    },
  };
}
