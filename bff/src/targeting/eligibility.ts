import type { TagExpression } from '@shared/contracts/targeting';
import type { Customer } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import { evaluate, listsIn, type CustomerProfileForTargeting } from '@/kernel/expression';
import type { TargetingRepository } from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an eligibility expression admits the customer; no expression admits everyone. */
type EligibilityCheck = (expression: TagExpression | undefined | null) => boolean;

/**
 * The one eligibility rule, for activities, life services, coupons and triggers alike: an
 * expression over what the bank uploaded of the customer (tier, risk, funds, interests, tags),
 * their lists, and whether they are new. The lists looked up are the ones the expressions name,
 * each by `_id` (list and customer), so a list never goes unread and no list is scanned.
 *
 * It is entitlement, not personalisation: whether a customer may use something does not depend
 * on their personalised-marketing switch (what an activity's feed *aims* at them is the
 * activities' own decision, made with this rule). Before consent (`browsing`) a customer is not
 * profiled at all: only what has no eligibility admits them.
 */
export function createEligibility(deps: { clock: Clock; targeting: TargetingRepository; newCustomerDays: number }) {
  async function profileFor(customer: Customer, expressions: TagExpression[]): Promise<CustomerProfileForTargeting> {
    const [tags, lists] = await Promise.all([deps.targeting.findTags(customer.id), deps.targeting.memberOf(customer.id, expressions.flatMap(listsIn))]);
    return {
      tier: tags?.tier,
      risk: tags?.risk,
      funds: tags?.funds,
      interests: tags?.interests ?? [],
      tags: tags?.tags ?? [],
      lists,
      isNew: deps.clock.now().getTime() - customer.createdAt.getTime() < deps.newCustomerDays * DAY_MS,
    };
  }

  return {
    profileFor,
    /**
     * The check for these expressions (those a page is about to show): the customer's tags and
     * the lists the expressions name are read once, and only if some expression needs them.
     */
    async of(customer: Customer, expressions: (TagExpression | undefined | null)[], options: { browsing?: boolean } = {}): Promise<EligibilityCheck> {
      const named = expressions.filter((e): e is TagExpression => !!e);
      if (options.browsing || named.length === 0) return (e) => !e;
      const profile = await profileFor(customer, named);
      return (e) => !e || evaluate(e, profile);
    },
  };
}

export type Eligibility = ReturnType<typeof createEligibility>;
