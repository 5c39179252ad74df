import { maskName, maskPhone } from '../../../shared/masking';
import type { CustomerProfile } from '../../../shared/contracts/profile';
import { AppError } from '../platform/errors';
import type { CustomerRepository } from './repository';

export function createCustomerService(deps: { customers: CustomerRepository }) {
  return {
    /** A customer's own profile. Personal data is masked even for its owner: the screen needs no more. */
    async getProfile(customerId: string): Promise<CustomerProfile> {
      const c = await deps.customers.findById(customerId);
      if (!c) throw new AppError('NOT_FOUND');
      return {
        id: c.id,
        customerNo: c.customerNo,
        nickname: c.nickname,
        maskedName: c.name ? maskName(c.name) : null,
        maskedPhone: c.phone ? maskPhone(c.phone) : null,
        phoneBound: c.phone !== null,
        personalized: c.personalized,
        memberSince: c.createdAt.toISOString(),
      };
    },
    async setPersonalized(customerId: string, personalized: boolean): Promise<{ personalized: boolean }> {
      await deps.customers.setPersonalized(customerId, personalized);
      return { personalized };
    },
  };
}
