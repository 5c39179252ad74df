import type { ActivityView } from '@/activities';
import type { CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import type { StreamStore } from '@/platform/stream';
import type { TargetingService } from '@/targeting';
import { TRIGGER_DISMISS_TYPE, type OfferData } from './engine';

const SHOWN = 20;

/**
 * 为您推荐: the offers triggers made to me, newest first, without those I turned down or whose
 * activity is over. While personalised marketing is off (PIPL art. 24) none is shown, those
 * made before included; they are kept, and show again (those still current) if the customer
 * switches it back on. An offer whose firing was withheld (a crash left it half-made and the
 * customer opted out or said 不感兴趣 before the sweep finished it) is never shown.
 */
export function createOffers(deps: {
  clock: Clock;
  offers: StreamStore<OfferData>;
  customers: CustomerDirectory;
  targeting: TargetingService;
  findActivity: (id: string) => Promise<ActivityView | null>;
  wasWithheld: (firingId: string) => Promise<boolean>;
}) {
  return {
    async mine(customerId: string) {
      const [customer, entries, hidden] = await Promise.all([
        deps.customers.findById(customerId),
        deps.offers.list(`offers:${customerId}`, { limit: SHOWN }),
        deps.targeting.hidden(customerId),
      ]);
      if (!customer?.personalized || hidden.types.has(TRIGGER_DISMISS_TYPE)) return { items: [] };
      const now = deps.clock.now();
      const items = [];
      for (const e of entries) {
        if (hidden.activities.has(e.data.triggerId) || (e.data.activityId && hidden.activities.has(e.data.activityId))) continue;
        if (e.data.activityId) {
          const view = await deps.findActivity(e.data.activityId);
          if (!view || view.withdrawn || !view.liveStart || view.liveStart > now || !view.liveEnd || view.liveEnd <= now) continue;
        }
        if (await deps.wasWithheld(e.data.firingId)) continue;
        items.push({
          id: e.data.firingId,
          triggerId: e.data.triggerId,
          title: e.data.title,
          description: e.data.description,
          kind: e.data.kind,
          activityId: e.data.activityId,
          at: e.at.toISOString(),
        });
      }
      return { items };
    },

    /** 不感兴趣: this trigger never again, or (hideAll) no triggered offers at all, for the dismissal period. */
    async dismiss(customerId: string, offerId: string, hideAll: boolean): Promise<void> {
      const entry = await deps.offers.findByKey(`offers:${customerId}`, `offer:${offerId}`);
      if (!entry) throw new AppError('NOT_FOUND', { message: '推荐不存在' });
      await deps.targeting.dismiss(customerId, { id: entry.data.triggerId, type: TRIGGER_DISMISS_TYPE }, hideAll);
    },
  };
}

export type Offers = ReturnType<typeof createOffers>;
