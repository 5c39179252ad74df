import { channelOf, figuresOf } from '../../bff/src/programme/figures';
import { derive, type ArrivalDoc, type OfferDoc } from '../../bff/src/programme/marks';
import { currentPeriods, periodRange } from '../../bff/src/programme/period';
import type { FeedEvent } from '../../bff/src/platform/event-feed';

const event = (e: Partial<FeedEvent> & Pick<FeedEvent, 'name' | 'source'>): FeedEvent => ({
  id: `e-${Math.random()}`,
  occurredAt: '2026-12-10T02:00:00.000Z',
  recordedAt: '2026-12-10T02:00:00.000Z',
  customerId: 'c1',
  data: {},
  ...e,
});

describe('经营看板 periods, marks and channels', () => {
  test('a period is a Beijing month or quarter', () => {
    expect(periodRange('2026-12')).toMatchObject({ kind: 'month', start: new Date('2026-11-30T16:00:00Z'), end: new Date('2026-12-31T16:00:00Z'), months: ['2026-12'] });
    expect(periodRange('2026-Q4')).toMatchObject({
      kind: 'quarter',
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-12-31T16:00:00Z'),
      months: ['2026-10', '2026-11', '2026-12'],
    });
    expect(periodRange('2027-Q1').months).toEqual(['2027-01', '2027-02', '2027-03']);
    // 31 December 17:00 UTC is already 1 January in Beijing.
    expect(currentPeriods(new Date('2026-12-31T17:00:00Z'))).toEqual({ month: '2027-01', quarter: '2027-Q1' });
    expect(() => periodRange('2026-13')).toThrow();
  });

  test('an event marks what it counts, under keys that say so; figures count distinct customers', () => {
    const place = { rm: 'rm1', u: 'org-sh' };
    const marks = [
      ...derive(event({ source: 'behaviour', name: 'impression', data: { activityId: 'a1' } }), place),
      ...derive(event({ source: 'behaviour', name: 'join', data: { activityId: 'a1' } }), place),
      ...derive(event({ source: 'bank', name: 'conversion.aum_change', data: { kind: 'aum_change', amountYuan: 10 } }), place),
      ...derive(event({ source: 'bank', name: 'conversion.aum_change', data: { kind: 'aum_change', amountYuan: -10 } }), place),
      ...derive(event({ source: 'domain', name: 'lead.created', customerId: null, data: { leadId: 'l1', rmId: 'rm1' } }), place),
      ...derive(event({ source: 'domain', name: 'lead.followed_up', customerId: null, data: { leadId: 'l1', rmId: 'rm1', withinSla: true } }), place),
    ];
    const unique = [...new Map(marks.map((m) => [m._id, m])).values()];
    expect(unique.map((m) => m._id).sort()).toEqual(
      [
        'active|2026-12-10|c1',
        'reach|c1',
        'part|a1|c1',
        'conv|aum_change|c1',
        'conv|aum_growth|c1',
        'lead|l1',
        'lead_fu|l1',
        ...marks.filter((m) => m.k === 'report').map((m) => m._id),
      ].sort(),
    );
    expect(figuresOf(unique)).toMatchObject({ monthly_active: 1, reached: 1, participants: 1, aum_growth: 1, leads: 1, leadsWithinSla: 1, slaRate: 1 });
  });

  test('the SLA rate is over leads whose SLA is met or missed: one still open inside it lowers nothing', () => {
    const place = { rm: 'rm1', u: 'org-sh' };
    const lead = (name: string, leadId: string, data: Record<string, unknown> = {}) =>
      derive(event({ source: 'domain', name, customerId: null, data: { leadId, rmId: 'rm1', ...data } }), place);
    const marks = [
      ...['l1', 'l2', 'l3', 'l4'].flatMap((id) => lead('lead.created', id)),
      ...lead('lead.followed_up', 'l1', { withinSla: true }),
      ...lead('lead.followed_up', 'l2', { withinSla: false }),
      // Escalated, then followed up late: missed once.
      ...lead('lead.escalated', 'l3'),
      ...lead('lead.followed_up', 'l3', { withinSla: false }),
      // l4 is open and not yet due.
    ];
    expect(figuresOf(marks)).toMatchObject({ leads: 4, leadsFollowedUp: 3, leadsWithinSla: 1, leadsEscalated: 1, leadsDecided: 3, slaRate: 0.3333 });
    expect(figuresOf(marks.filter((m) => m._id === 'lead|l4')).slaRate).toBeNull();
    // A lead a hand-over passed on is the lead its rule made: the same mark, counted once.
    expect(lead('lead.created', 'l4-passed', { firstLeadId: 'l4' }).map((m) => m._id)).toEqual(['lead|l4']);
  });

  test('a participation is 事件营销 when a trigger offered the activity first, else as the customer arrived', () => {
    const at = new Date('2026-12-10T02:00:00Z');
    const arrivals = new Map<string, ArrivalDoc>([
      ['c1', { _id: 'c1', sharerKind: 'staff', managerId: 'rm1', at }],
      ['c2', { _id: 'c2', sharerKind: 'customer', managerId: 'rm1', at }],
    ]);
    const offers = new Map<string, OfferDoc>([
      ['a1|c1', { _id: 'a1|c1', triggerId: 't1', at }],
      ['a2|c1', { _id: 'a2|c1', triggerId: 't1', at: new Date(at.getTime() + 1) }],
    ]);
    expect(channelOf('a1|c1', at, 'c1', arrivals, offers)).toBe('trigger');
    expect(channelOf('a2|c1', at, 'c1', arrivals, offers)).toBe('rm_poster'); // offered only after taking part
    expect(channelOf('a1|c2', at, 'c2', arrivals, offers)).toBe('customer_share');
    expect(channelOf('a1|c3', at, 'c3', arrivals, offers)).toBe('organic');
  });
});
