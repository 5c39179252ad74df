import type { AudienceEstimate, TagExpression } from '@shared/contracts/targeting';
import type { Clock } from '@/platform/clock';
import type { CustomerDirectory } from '@/platform/directory';
import { evaluate, listsIn } from '@/kernel/expression';
import type { TargetingRepository } from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an estimate is reused: staff building an audience ask again at every change, and each answer reads every customer. */
const FRESH_MS = 60_000;
const KEPT = 50;

/**
 * Audience sizes for staff building one: the expression evaluated as eligibility evaluates it, over every
 * customer (their uploaded tags, the lists it names, whether they are new). A scan, so never on a customer's
 * path; answers are reused for a minute.
 */
export function createAudience(deps: { clock: Clock; targeting: TargetingRepository; customers: CustomerDirectory; newCustomerDays: number }) {
  const recent = new Map<string, { at: number; estimate: AudienceEstimate }>();

  async function count(expression: TagExpression | undefined): Promise<AudienceEstimate> {
    const named = expression ? [...new Set(listsIn(expression))] : [];
    const [tagDocs, memberships] = await Promise.all([expression ? deps.targeting.allTags() : [], deps.targeting.membersOf(named)]);
    const tags = new Map(tagDocs.map((t) => [t._id, t]));
    const lists = new Map<string, Set<string>>();
    for (const m of memberships) lists.set(m.customerId, (lists.get(m.customerId) ?? new Set()).add(m.listId));
    const now = deps.clock.now().getTime();
    let total = 0;
    let matched = 0;
    for await (const c of deps.customers.signups()) {
      total += 1;
      if (!expression) continue;
      const t = tags.get(c.id);
      const profile = {
        tier: t?.tier,
        risk: t?.risk,
        funds: t?.funds,
        interests: t?.interests ?? [],
        tags: t?.tags ?? [],
        lists: lists.get(c.id) ?? new Set<string>(),
        isNew: now - c.createdAt.getTime() < deps.newCustomerDays * DAY_MS,
      };
      if (evaluate(expression, profile)) matched += 1;
    }
    return { matched: expression ? matched : total, total, estimatedAt: deps.clock.now().toISOString() };
  }

  return {
    async estimate(expression: TagExpression | undefined): Promise<AudienceEstimate> {
      const key = JSON.stringify(expression ?? null);
      const kept = recent.get(key);
      if (kept && deps.clock.now().getTime() - kept.at < FRESH_MS) return kept.estimate;
      const estimate = await count(expression);
      if (recent.size >= KEPT) recent.delete(recent.keys().next().value!);
      recent.set(key, { at: deps.clock.now().getTime(), estimate });
      return estimate;
    },

    async vocabulary() {
      const [tagDocs, lists] = await Promise.all([deps.targeting.allTags(), deps.targeting.listIds()]);
      const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b, 'zh-CN'));
      return { tags: sorted(tagDocs.flatMap((t) => t.tags ?? [])), interests: sorted(tagDocs.flatMap((t) => t.interests ?? [])), lists: sorted(lists) };
    },
  };
}

export type Audience = ReturnType<typeof createAudience>;
