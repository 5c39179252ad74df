import { CustomerProfile } from '../../../shared/contracts/profile';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { createCustomerService } from './service';

export function customerRoutes(service: ReturnType<typeof createCustomerService>) {
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      operationId: 'getMyProfile',
      summary: '我的资料（脱敏）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'The caller’s masked profile', schema: CustomerProfile } },
      handler: ({ principal }) => service.getProfile(principal!.id),
    }),
  ];
}
