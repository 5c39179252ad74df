import { randomUUID } from 'node:crypto';
import { triggerInput } from '../helpers/triggers';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { drainFeed, publishFeed } from '../helpers/feed';
import type { FeedEvent } from '../../bff/src/platform/event-feed';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
/** What the probe subscriber was handed, by event id; it throws for the ids in `poisoned`. */
const handed = new Map<string, number>();
const poisoned = new Set<string>();

beforeAll(async () => {
  bff = await startBff('eventfeed');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  // A subscriber of the test's own, beside the app's (triggers, analytics), subscribed before any event is kept.
  bff.app.services.events.subscribe('probe', {
    wants: () => true,
    handle: async (event: FeedEvent) => {
      handed.set(event.id, (handed.get(event.id) ?? 0) + 1);
      if (poisoned.has(event.id)) throw new Error(`probe refuses ${event.id}`);
    },
  });
});
afterAll(() => bff.stop());

const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const balance = async (token: string) => (await bff.request('GET', '/api/v1/me/points', { token })).body.balance as number;
const salary = (customerId: string, eventId = `sal-${randomUUID()}`) =>
  bankRequest(bff, '/bank/conversions', { eventId, kind: 'salary_credited', occurredAt: iso(0), customerId, amountYuan: 8000 });
const pageView = () => ({ id: randomUUID(), type: 'page_view', clientTime: iso(0), page: 'pages/index/index' });
const itemsOf = async (job: string) => (await bff.app.services.jobBooks.report()).items.filter((i) => i.job === job);

async function publishSalaryTrigger(): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/triggers', {
    token: tokens.admin,
    body: triggerInput(bff, { description: '代发工资到账后送 50 积分', action: { kind: 'reward', reward: { kind: 'points', amount: 50 }, budget: { maxRewards: 100 } } }),
  });
  expect(created.status).toBe(201);
  expect((await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/submit`, { token: tokens.admin })).status).toBe(200);
  expect((await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/approve`, { token: tokens.reviewer, body: {} })).status).toBe(200);
  return created.body.id;
}

describe('the event feed reacts after the request, at least once, each subscriber and event alone', () => {
  test('a subscriber that throws for one event does not fail the request; it is counted and retried, and the other events and subscribers go on', async () => {
    await publishSalaryTrigger();
    const [a, b] = await Promise.all([customerSession(bff), customerSession(bff)]);
    const views = [pageView(), pageView(), pageView()];
    poisoned.add(views[1].id);
    const eventId = `sal-${randomUUID()}`;
    poisoned.add(`conversion:${eventId}`);

    // The requests are answered as kept: no subscriber runs inside them.
    const sent = await bff.request('POST', '/api/v1/events', { token: a.token, body: { events: views } });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ accepted: 3, rejected: [] });
    expect((await salary(b.id, eventId)).status).toBe(200);
    const before = await balance(b.token);

    // One round at a time, so each try is counted (an item is parked after five failures in a row).
    await publishFeed(bff);
    expect(await bff.app.services.capabilities.delivery.feed.runOnce()).toMatchObject({ failed: 2 });
    // The probe had every event; the ones it refused are in the job books, once for each try, and still queued.
    for (const v of [views[0], views[2]]) expect(handed.get(v.id)).toBe(1);
    expect((await itemsOf('feed.probe')).map((i) => i.key).sort()).toEqual([views[1].id, `conversion:${eventId}`].sort());
    const tries = handed.get(views[1].id)!;
    expect(tries).toBe(1);
    expect((await itemsOf('feed.probe')).find((i) => i.key === views[1].id)).toMatchObject({ failures: tries, parked: false });
    // The triggers subscriber was not held up by the probe's failure on the same event: its points are paid.
    expect(await balance(b.token)).toBe(before + 50);

    // The next round tries it again, and counts it again; once the probe takes it, it leaves the books and its queue.
    expect(await bff.app.services.capabilities.delivery.feed.runOnce()).toMatchObject({ failed: 2 });
    expect(handed.get(views[1].id)).toBe(tries + 1);
    expect((await itemsOf('feed.probe')).find((i) => i.key === views[1].id)).toMatchObject({ failures: tries + 1 });
    poisoned.clear();
    expect(await drainFeed(bff)).toMatchObject({ failed: 0 });
    expect(handed.get(views[1].id)).toBe(tries + 2);
    expect(handed.get(views[0].id)).toBe(1);
    expect(await itemsOf('feed.probe')).toEqual([]);
    expect(await bff.app.services.capabilities.delivery.feed.backlog()).toBe(0);
  });

  test('an event handed over again (a repeated report, a worker that died before taking it off its queue) pays nothing twice', async () => {
    const c = await customerSession(bff);
    const eventId = `sal-${randomUUID()}`;
    const before = await balance(c.token);
    expect((await salary(c.id, eventId)).status).toBe(200);
    await drainFeed(bff);
    expect(await balance(c.token)).toBe(before + 50);

    // The bank repeats its report: it is queued again, under the same item.
    expect((await salary(c.id, eventId)).status).toBe(200);
    await drainFeed(bff);
    // The worker's process died after handling, before the delete: the same event is queued once more and handed over again.
    const event: FeedEvent = {
      id: `conversion:${eventId}`,
      source: 'bank',
      name: 'conversion.salary_credited',
      occurredAt: iso(0),
      recordedAt: iso(0),
      customerId: c.id,
      data: { kind: 'salary_credited', activityId: null, productCode: null, amountYuan: 8000 },
    };
    await bff.app.services.events.enqueue([{ event, placedAt: bff.clock.now() }]);
    const run = await drainFeed(bff);
    expect(run.done).toBeGreaterThanOrEqual(1);
    expect(handed.get(event.id)).toBeGreaterThanOrEqual(2);
    expect(await balance(c.token)).toBe(before + 50);
  });
});
