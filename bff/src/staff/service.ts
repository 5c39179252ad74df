import { randomUUID } from 'node:crypto';
import type { StaffGrantView, StaffProfile } from '@shared/contracts/profile';
import type { OrgDirectory } from '@shared/contracts/staff';
import { maskName } from '@shared/masking';
import { Role, type StaffRole } from '@shared/roles';
import { hashPassword } from '@/platform/auth/password';
import type { OrgDirectory as OrgUnits } from '@/platform/directory';
import { GONE_STAFF, orgNames, staffNames } from '@/kernel/names';
import type { Scope } from '@/platform/auth/scope';
import { approvalView, createApprovals, type ApprovalRequest } from '@/kernel/approvals';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { StaffMember, StaffRepository } from './repository';

const toProfile = (m: StaffMember): StaffProfile => ({
  id: m.id,
  username: m.username,
  role: m.role,
  orgUnitId: m.orgUnitId,
  maskedName: maskName(m.name),
});

type Changes = { role?: StaffRole; orgUnitId?: string; disabled?: boolean };
/** What a head-office admin asks a second one to approve: a new account, or more access for one. */
type StaffGrant = { kind: 'create'; staffId: string; member: Omit<StaffMember, 'id' | 'createdAt' | 'disabled' | 'phone'> } | { kind: 'update'; staffId: string; changes: Changes };

/**
 * Whether a change only disables the account (that applies at once: failing closed needs no
 * second person). Any change of role or unit is not a reduction to be trusted to one person:
 * reviewer → rm moves who may approve, admin → rm who may manage; both need a second admin.
 */
const onlyDisables = (before: StaffMember, changes: Changes) =>
  (changes.orgUnitId === undefined || changes.orgUnitId === before.orgUnitId) && (changes.role === undefined || changes.role === before.role) && changes.disabled === true;

/**
 * Staff accounts and roles, managed by head-office admins. A new account, any change of role or
 * unit, and re-enabling are requested by one head-office admin and applied only when another
 * approves, never the member the request is about; disabling applies at once. Whoever requested
 * or approved a member's access is remembered, so that member can never act as the checker of
 * their work.
 */
export function createStaffService(deps: { db: Database; staff: StaffRepository; org: OrgUnits; scope: Scope; audit: AuditLog; clock: Clock; faults: Faults }) {
  const headOfficeAdmin = async (principal: Principal) => principal.role === Role.ADMIN && (await deps.scope.isHeadOffice(principal));
  async function requireHeadOffice(principal: Principal) {
    if (!(await headOfficeAdmin(principal))) throw new AppError('FORBIDDEN', { message: '仅总行管理员可以管理员工账号' });
  }
  async function requireUnit(orgUnitId: string, path: string) {
    if (!(await deps.org.findById(orgUnitId))) throw new AppError('ORG_UNIT_UNKNOWN', { issues: [{ path, message: '机构不存在' }] });
  }

  async function applyUpdate(principal: Principal, id: string, changes: Changes, reason: string, key?: string): Promise<StaffMember> {
    const before = (await deps.staff.findById(id))!;
    const after = (await deps.staff.update(id, changes))!;
    await deps.audit.record(
      principal,
      {
        action: 'staff.updated',
        targetType: 'staff',
        targetId: id,
        reason,
        detail: { before: { role: before.role, orgUnitId: before.orgUnitId, disabled: before.disabled }, after: changes },
      },
      key,
    );
    return after;
  }

  const grants = createApprovals<StaffGrant>({
    db: deps.db,
    clock: deps.clock,
    audit: deps.audit,
    faults: deps.faults,
    name: 'staff_grant',
    authorize: async (principal) => {
      // Not found for anyone but head-office admins: branches do not see these requests at all.
      if (!(await headOfficeAdmin(principal))) throw new AppError('NOT_FOUND');
    },
    visible: async (principal, requests) => ((await headOfficeAdmin(principal)) ? requests : []),
    independent: (checkerId, makerIds) => deps.staff.requireIndependent(checkerId, makerIds),
    // The member whose access changes never decides on it.
    subjectsOf: (grant) => [grant.staffId],
    async apply(request, checker) {
      // Who gave this access is recorded before the access exists, so no moment sees it unrecorded.
      await deps.staff.recordGrantors(request.staffId, [request.requestedBy, checker.id], deps.clock.now());
      if (request.kind === 'create') {
        const member: StaffMember = { ...request.member, id: request.staffId, phone: null, disabled: false, createdAt: request.requestedAt };
        if (!(await deps.staff.create(member))) throw new AppError('CONFLICT', { message: '用户名已存在', issues: [{ path: 'body.username', message: '用户名已存在' }] });
        await deps.audit.record(
          checker,
          {
            action: 'staff.created',
            targetType: 'staff',
            targetId: member.id,
            reason: request.reason,
            detail: { role: member.role, orgUnitId: member.orgUnitId, requestedBy: request.requestedBy },
          },
          `staff.created:${request._id}`,
        );
      } else {
        if (!(await deps.staff.findById(request.staffId))) throw new AppError('NOT_FOUND');
        await applyUpdate(checker, request.staffId, request.changes, request.reason, `staff.updated:${request._id}`);
      }
    },
    auditDetail: (grant) =>
      grant.kind === 'create' ? { kind: grant.kind, role: grant.member.role, orgUnitId: grant.member.orgUnitId } : { kind: grant.kind, changes: grant.changes },
  });

  function toGrantView(request: ApprovalRequest<StaffGrant>): StaffGrantView {
    return {
      ...approvalView(request),
      kind: request.kind,
      staffId: request.staffId,
      ...(request.kind === 'create'
        ? { username: request.member.username, role: request.member.role, orgUnitId: request.member.orgUnitId, maskedName: maskName(request.member.name), disabled: null }
        : { username: null, role: request.changes.role ?? null, orgUnitId: request.changes.orgUnitId ?? null, maskedName: null, disabled: request.changes.disabled ?? null }),
    };
  }

  return {
    /** Asks for a new account; it exists once a second head-office admin approves. */
    async create(principal: Principal, input: { username: string; password: string; role: StaffRole; orgUnitId: string; name: string }): Promise<StaffGrantView> {
      await requireHeadOffice(principal);
      await requireUnit(input.orgUnitId, 'body.orgUnitId');
      if (await deps.staff.findByUsername(input.username))
        throw new AppError('CONFLICT', { message: '用户名已存在', issues: [{ path: 'body.username', message: '用户名已存在' }] });
      const member = { username: input.username, passwordHash: await hashPassword(input.password), role: input.role, orgUnitId: input.orgUnitId, name: input.name };
      return toGrantView(await grants.request(principal, { kind: 'create', staffId: randomUUID(), member }, `开通账号 ${input.username}`));
    },

    /** Disables at once; anything else (a role, a unit, re-enabling) waits for a second head-office admin. */
    async update(principal: Principal, id: string, input: Changes & { reason: string }): Promise<{ applied: StaffProfile } | { pending: StaffGrantView }> {
      await requireHeadOffice(principal);
      // An admin who disabled or demoted themselves would be locked out at once, with no second person involved.
      if (id === principal.id) throw new AppError('STAFF_SELF_CHANGE');
      const before = await deps.staff.findById(id);
      if (!before) throw new AppError('NOT_FOUND');
      if (input.orgUnitId) await requireUnit(input.orgUnitId, 'body.orgUnitId');
      const { reason, ...changes } = input;
      if (onlyDisables(before, changes)) return { applied: toProfile(await applyUpdate(principal, id, changes, reason)) };
      return { pending: toGrantView(await grants.request(principal, { kind: 'update', staffId: id, changes }, reason)) };
    },

    /** A page of requests awaiting a second head-office admin, with the member by masked name and the units by name. */
    async pendingGrants(principal: Principal, paging: { page: number; pageSize: number }) {
      const { items, total } = await grants.pending(principal, paging);
      const current = new Map((await deps.staff.findByIds(items.map((g) => g.staffId))).map((m) => [m.id, m]));
      const unitAfter = (g: ApprovalRequest<StaffGrant>) => (g.kind === 'create' ? g.member.orgUnitId : (g.changes.orgUnitId ?? current.get(g.staffId)?.orgUnitId ?? ''));
      const [staff, orgName] = await Promise.all([
        staffNames(
          deps.staff,
          items.map((g) => g.requestedBy),
        ),
        orgNames(deps.org, [...items.map(unitAfter), ...[...current.values()].map((m) => m.orgUnitId)]),
      ]);
      return {
        total,
        items: items.map((g) => {
          const now = g.kind === 'update' ? current.get(g.staffId) : undefined;
          return {
            ...toGrantView(g),
            requestedByName: staff(g.requestedBy),
            maskedName: g.kind === 'create' ? maskName(g.member.name) : now ? maskName(now.name) : GONE_STAFF,
            orgUnitName: orgName(unitAfter(g)),
            currentRole: now?.role ?? null,
            currentOrgUnitName: now ? orgName(now.orgUnitId) : null,
          };
        }),
      };
    },
    approveGrant: async (principal: Principal, id: string, reason: string | null) => toGrantView(await grants.approve(principal, id, reason)),
    rejectGrant: async (principal: Principal, id: string, reason: string) => toGrantView(await grants.reject(principal, id, reason)),
    recoverGrants: () => grants.recover(),

    async getProfile(principal: Principal): Promise<StaffProfile> {
      const member = await deps.staff.findById(principal.id);
      if (!member) throw new AppError('NOT_FOUND');
      return toProfile(member);
    },
    /** The caller's unit and those below it by name, and their staff by masked name: two reads. */
    async directory(principal: Principal): Promise<OrgDirectory> {
      if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
      const units = await deps.org.subtree(principal.orgUnitId);
      const members = await deps.staff.listInOrgUnits(units.map((u) => u.id));
      return {
        orgUnits: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })),
        staff: members.map((m) => ({ id: m.id, maskedName: maskName(m.name), role: m.role, orgUnitId: m.orgUnitId })),
      };
    },
    /** Staff of the admin's own unit and the units below it; nothing from elsewhere in the bank. */
    async listVisibleStaff(principal: Principal): Promise<StaffProfile[]> {
      if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
      return (await deps.staff.listInOrgUnits(await deps.scope.unitIds(principal))).map(toProfile);
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
