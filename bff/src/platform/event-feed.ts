import type { DeliveredEvent } from '../../../shared/contracts/delivery';
import type { DeliveryQueue } from './delivery-queue';

/** An event as capabilities see it: what the bank receives, or a conversion the bank reported (never sent back). */
export type FeedEvent = Omit<DeliveredEvent, 'source'> & { source: DeliveredEvent['source'] | 'bank' };

export type FeedSubscriber = (events: FeedEvent[]) => Promise<void>;

/**
 * Where every kept event passes once it is stored: behaviour events, the outbox's domain
 * events and the bank's conversion reports. Ours are queued for the bank's sinks; every event
 * goes to the subscribers (analytics, triggers), which must be idempotent: a resend or a
 * recovery publishes an event again.
 */
export function createEventFeed(queue: DeliveryQueue) {
  const subscribers: FeedSubscriber[] = [];
  return {
    subscribe(fn: FeedSubscriber) {
      subscribers.push(fn);
    },
    async publish(events: FeedEvent[]): Promise<void> {
      if (!events.length) return;
      await queue.enqueue(events.filter((e): e is DeliveredEvent => e.source !== 'bank'));
      for (const fn of subscribers) await fn(events);
    },
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;
