import { z } from 'zod';
import { approvalOperations, decisionLinks } from '../api/approvals';
import { CreateStaffRequest, PendingStaffGrant, StaffGrantView, StaffProfile, StaffRoleSchema, UpdateStaffRequest } from './profile';
import { Role, STAFF_ROLES } from '../roles';
import { byOperationId } from '../api/reviewed';
import { endpoints, linksTo } from '../api/endpoint';
import { IdParams } from './common';

export const staffGrantApprovals = approvalOperations({
  path: '/admin/staff/requests',
  noun: 'StaffGrant',
  label: '员工账号与权限申请',
  tag: 'admin',
  schema: StaffGrantView,
  pendingSchema: PendingStaffGrant,
  checkers: [Role.ADMIN],
});

/** The caller's org subtree by name: what back-office pages use to show units and staff by name, never by id. */
export const OrgDirectory = z
  .object({
    orgUnits: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })).describe('The caller’s unit and every unit below it'),
    staff: z.array(z.object({ id: z.string(), maskedName: z.string(), role: StaffRoleSchema, orgUnitId: z.string() })).describe('Staff of those units, names masked'),
  })
  .meta({ id: 'OrgDirectory' });
export type OrgDirectory = z.infer<typeof OrgDirectory>;

export const staffApi = {
  ...byOperationId(staffGrantApprovals),
  ...endpoints({
    createStaff: {
      method: 'post',
      path: '/admin/staff',
      operationId: 'createStaff',
      summary: '申请开通员工账号（仅总行管理员；须另一位总行管理员审批后生效）',
      tags: ['admin'],
      access: [Role.ADMIN],
      body: CreateStaffRequest,
      responses: { 202: { description: 'Waiting for a second head-office admin', schema: StaffGrantView, links: decisionLinks('StaffGrant') } },
    },
    updateStaff: {
      method: 'patch',
      path: '/admin/staff/:id',
      operationId: 'updateStaff',
      summary: '调整员工角色、机构或停用账号（仅总行管理员，留痕）：停用立即生效；任何角色或机构的变更、重新启用须另一位总行管理员审批（本人不得审批与自己有关的申请）',
      tags: ['admin'],
      access: [Role.ADMIN],
      params: IdParams,
      body: UpdateStaffRequest,
      responses: {
        200: { description: 'Applied at once (the account disabled)', schema: StaffProfile },
        202: { description: 'Waiting for a second head-office admin (a role or unit changed, or re-enabled)', schema: StaffGrantView, links: decisionLinks('StaffGrant') },
      },
    },
    getStaffProfile: {
      method: 'get',
      path: '/staff/me',
      operationId: 'getStaffProfile',
      summary: '当前员工资料',
      tags: ['staff'],
      access: STAFF_ROLES,
      responses: { 200: { description: 'The caller’s profile', schema: StaffProfile } },
    },
    getOrgDirectory: {
      method: 'get',
      path: '/admin/directory',
      operationId: 'getOrgDirectory',
      summary: '本机构及下级机构的机构名称与员工（脱敏），供后台按名称显示',
      tags: ['admin'],
      access: [Role.ADMIN, Role.REVIEWER],
      responses: { 200: { description: 'The caller’s subtree', schema: OrgDirectory } },
    },
    listStaff: {
      method: 'get',
      path: '/admin/staff',
      operationId: 'listStaff',
      summary: '本机构及下级机构的员工列表（脱敏）',
      tags: ['admin'],
      access: [Role.ADMIN],
      responses: {
        200: { description: 'Visible staff', schema: z.object({ items: z.array(StaffProfile) }), links: linksTo(['updateStaff'], { id: '$response.body#/items/0/id' }) },
      },
    },
  }),
};
