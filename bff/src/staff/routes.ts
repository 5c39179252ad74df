import { z } from 'zod';
import { StaffProfile } from '../../../shared/contracts/profile';
import { Role, STAFF_ROLES } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { createStaffService } from './service';

export function staffRoutes(service: ReturnType<typeof createStaffService>) {
  return [
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
