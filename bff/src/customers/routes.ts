import { implement } from '@/platform/http/routes';
import type { createCustomerService } from './service';
import { customersApi } from '@shared/contracts/customers';

export function customerRoutes(service: ReturnType<typeof createCustomerService>) {
  return [
    implement(customersApi.getMyProfile, ({ principal }) => service.getProfile(principal.id)),
    implement(customersApi.bindMyPhone, ({ principal, body }) => service.bindPhone(principal.id, body.code)),
    implement(customersApi.setMyPreferences, ({ principal, body }) => service.setPersonalized(principal.id, body.personalized)),
  ];
}
