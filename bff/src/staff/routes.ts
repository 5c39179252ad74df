import { z } from 'zod';
import { CreateStaffRequest, StaffProfile, UpdateStaffRequest } from '../../../shared/contracts/profile';
import { Role, STAFF_ROLES } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { createStaffService } from './service';

export function staffRoutes(service: ReturnType<typeof createStaffService>) {
    return [
    defineRoute({
      method: 'post',
      path: '/admin/staff',
      operationId: 'createStaff',
      summary: '创建员工账号（仅总行管理员）',
      tags: ['admin'],
      access: [Role.ADMIN],
      body: CreateStaffRequest,
      responses: { 201: { description: 'Created', schema: StaffProfile } },
      handler: ({ principal, body }) => service.create(principal!, body),
    }),
    defineRoute({
      method: 'patch',
      path: '/admin/staff/:id',
      operationId: 'updateStaff',
      summary: '调整员工角色、机构或停用账号（仅总行管理员，留痕）',
      tags: ['admin'],
      access: [Role.ADMIN],
      params: IdParams,
      body: UpdateStaffRequest,
      responses: { 200: { description: 'Updated', schema: StaffProfile } },
      handler: ({ principal, params, body }) => service.update(principal!, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/me',
      operationId: 'getStaffProfile',
      summary: '当前员工资料',
      tags: ['staff'],
      access: STAFF_ROLES,
      responses: { 200: { description: 'The caller’s profile', schema: StaffProfile } },
      handler: ({ principal }) => service.getProfile(principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/staff',
      operationId: 'listStaff',
      summary: '本机构及下级机构的员工列表（脱敏）',
      tags: ['admin'],
      access: [Role.ADMIN],
      responses: { 200: { description: 'Visible staff', schema: z.object({ items: z.array(StaffProfile) }) } },
      handler: async ({ principal }) => ({ items: await service.listVisibleStaff(principal!) }),
    }),
  ];
}
