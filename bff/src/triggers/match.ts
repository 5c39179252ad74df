import type { TriggerCondition, TriggerInput } from '@shared/contracts/triggers';
import type { FeedEvent } from '@/platform/event-feed';

/** The fields a trigger's conditions read, flat: an app event's page, ids and props; a bank report's product and amount. */
function fieldsOf(event: FeedEvent): Record<string, unknown> {
  const d = event.data;
  const props = (d.props ?? {}) as Record<string, unknown>;
  return {
    page: d.page,
    activityId: d.activityId,
    itemId: d.itemId,
    productCode: d.productCode,
    amountYuan: d.amountYuan,
    ...Object.fromEntries(Object.entries(props).map(([k, v]) => [`props.${k}`, v])),
  };
}

function holds(c: TriggerCondition, value: unknown): boolean {
  if (value === undefined || value === null) return c.op === 'ne';
  switch (c.op) {
    case 'eq':
      return value === c.value;
    case 'ne':
      return value !== c.value;
    case 'in':
      return (c.value as unknown[]).includes(value);
    default: {
      if (typeof value !== 'number') return false;
      const v = c.value as number;
      return c.op === 'gt' ? value > v : c.op === 'gte' ? value >= v : c.op === 'lt' ? value < v : value <= v;
    }
  }
}

/** Whether the event is of the rule's kind and meets every condition (a trigger's, or a lead rule's: the same shape). */
export function matches(trigger: Pick<TriggerInput, 'event' | 'conditions'>, event: FeedEvent): boolean {
  const source = event.source === 'behaviour' ? 'app' : event.source === 'bank' ? 'bank' : null;
  if (source !== trigger.event.source) return false;
  const name = source === 'bank' ? String(event.data.kind) : event.name;
  if (name !== trigger.event.name) return false;
  const fields = fieldsOf(event);
  return trigger.conditions.every((c) => holds(c, fields[c.field]));
}
