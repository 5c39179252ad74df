import { maskName, maskPhone } from '@shared/masking';
import type { CustomerProfile } from '@shared/contracts/profile';
import { EventName } from '@shared/events';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { RateLimiter } from '@/platform/rate-limit';
import type { WechatClient } from '@/platform/wechat/client';
import type { CustomerRepository } from './repository';

export function createCustomerService(deps: {
  customers: CustomerRepository;
  wechat: WechatClient;
  outbox: Outbox;
  rateLimiter: RateLimiter;
  phoneBindsPerHour: number;
  /** The customer's value tier, as the bank's systems reported it. */
  tierOf: (customerId: string) => Promise<string | null>;
}) {
  /** A customer's own profile. Personal data is masked even for its owner: the screen needs no more. */
  async function getProfile(customerId: string): Promise<CustomerProfile> {
    const [c, tier] = await Promise.all([deps.customers.findById(customerId), deps.tierOf(customerId)]);
    if (!c) throw new AppError('NOT_FOUND');
    return {
      id: c.id,
      customerNo: c.customerNo,
      nickname: c.nickname,
      maskedName: c.name ? maskName(c.name) : null,
      maskedPhone: c.phone ? maskPhone(c.phone) : null,
      phoneBound: c.phone !== null,
      personalized: c.personalized,
      tier,
      memberSince: c.createdAt.toISOString(),
    };
  }

  return {
    getProfile,
    /**
     * Binds the phone number WeChat verified (the getPhoneNumber button's code): the number
     * is stored, never returned whole, and the bank's systems get only its keyed hash. One number
     * belongs to one customer: a second WeChat account cannot bind it (nor earn its reward).
     */
    async bindPhone(customerId: string, code: string): Promise<CustomerProfile> {
      await deps.rateLimiter.consume(`phone-bind:${customerId}`, deps.phoneBindsPerHour, 3600);
      const { phoneNumber, countryCode } = await deps.wechat.getPhoneNumber(code);
      if (countryCode !== '86') throw new AppError('PHONE_REGION_UNSUPPORTED');
      if (!(await deps.customers.bindPhone(customerId, phoneNumber))) throw new AppError('PHONE_ALREADY_BOUND');
      // The bank hears the keyed hash only (HMAC-SHA256 with the key it shares), never the number or a plain hash of it.
      // Tasks and invites react to this event from the event feed, after the answer.
      const hash = deps.customers.phoneHash(phoneNumber);
      await deps.outbox.record(EventName.CUSTOMER_PHONE_BOUND, `${customerId}:${hash}`, { customerId, phoneHash: hash });
      return getProfile(customerId);
    },
    async setPersonalized(customerId: string, personalized: boolean): Promise<{ personalized: boolean }> {
      await deps.customers.setPersonalized(customerId, personalized);
      return { personalized };
    },
  };
}
