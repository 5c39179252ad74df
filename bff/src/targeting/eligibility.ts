import type { TagExpression } from '@shared/contracts/targeting';
import type { Customer } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import { evaluate, listsIn, type CustomerProfileForTargeting } from '@/kernel/expression';
import type { TargetingRepository } from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an eligibility expression admits the customer; no expression admits everyone. */
type ReadAhead = { tags: ReturnType<TargetingRepository['findTags']>; lists: Promise<Set<string>> };

type EligibilityCheck = (expression: TagExpression | undefined | null) => boolean;

/**
 * The one eligibility rule, for activities, life services, coupons and triggers alike: an
 * expression over what the bank uploaded of the customer (tier, risk, funds, interests, tags),
 * their lists, and whether they are new. The lists a customer is on are one stream of theirs,
 * read by its head, however many lists the expressions name; no list is scanned.
 *
 * It is entitlement, not personalisation: whether a customer may use something does not depend
 * on their personalised-marketing switch (what an activity's feed *aims* at them is the
 * activities' own decision, made with this rule). Before consent (`browsing`) a customer is not
 * profiled at all: only what has no eligibility admits them.
 */
export function createEligibility(deps: { clock: Clock; targeting: TargetingRepository; newCustomerDays: number }) {
  /** The customer's tags and lists, read: both keyed by the customer alone, so they can be read before the expressions are known. */
  function readAhead(customerId: string): ReadAhead {
    const ahead = { tags: deps.targeting.findTags(customerId), lists: deps.targeting.listsOf(customerId) };
    ahead.tags.catch(() => undefined); // awaited when an expression needs them; not needed, a failed read is nobody's
    ahead.lists.catch(() => undefined);
    return ahead;
  }

  async function profileFor(customer: Customer, expressions: TagExpression[], ahead?: ReadAhead): Promise<CustomerProfileForTargeting> {
    const named = new Set(expressions.flatMap(listsIn));
    const read = ahead ?? { tags: deps.targeting.findTags(customer.id), lists: named.size ? deps.targeting.listsOf(customer.id) : Promise.resolve(new Set<string>()) };
    const [tags, mine] = await Promise.all([read.tags, read.lists]);
    const lists = new Set([...mine].filter((l) => named.has(l)));
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
    readAhead,
    /**
     * The check for these expressions (those a page is about to show): the customer's tags and
     * lists are read once, and only if some expression needs them (`ahead`: read already, beside
     * the customer and what the page shows).
     */
    async of(customer: Customer, expressions: (TagExpression | undefined | null)[], options: { browsing?: boolean; ahead?: ReadAhead } = {}): Promise<EligibilityCheck> {
      const named = expressions.filter((e): e is TagExpression => !!e);
      if (options.browsing || named.length === 0) return (e) => !e;
      const profile = await profileFor(customer, named, options.ahead);
      return (e) => !e || evaluate(e, profile);
    },
  };
}

export type Eligibility = ReturnType<typeof createEligibility>;
