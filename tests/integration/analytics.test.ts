import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('analytics');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const ago = (s: number) => new Date(bff.clock.now().getTime() - s * 1000).toISOString();
const event = (type: string, activityId: string, at: string) => ({ id: randomUUID(), type, clientTime: at, page: 'packages/activity/detail/index', activityId });

describe('activity analytics', () => {
  test('the funnel, the trend and the experiment come out of the events exactly, with the known lift inside the interval', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { controlGroupPercent: 50 }));
    const customers = await Promise.all(Array.from({ length: 160 }, () => customerSession(bff)));
    const treatment: typeof customers = [];
    const control: typeof customers = [];
    for (const c of customers) {
      const list = await bff.request('GET', '/api/v1/activities', { token: c.token });
      (list.body.items.some((a: { id: string }) => a.id === activityId) ? treatment : control).push(c);
    }
    expect(treatment.length).toBeGreaterThan(40);
    expect(control.length).toBeGreaterThan(40);

    // Every treatment customer sees it; 3 in 5 click a minute later; 2 in 5 join (which pays the reward) a minute after that.
    const sent: Record<string, unknown[]> = {};
    for (const [i, c] of treatment.entries()) {
      const events = [event('impression', activityId, ago(180))];
      if (i % 5 < 3) events.push(event('click', activityId, ago(120)));
      if (i % 5 < 2) events.push(event('join', activityId, ago(60)));
      sent[c.id] = events;
      expect((await bff.request('POST', '/api/v1/events', { token: c.token, body: { events } })).body.accepted).toBe(events.length);
      if (i % 5 < 2) expect((await bff.request('POST', `/api/v1/activities/${activityId}/join`, { token: c.token })).status).toBe(200);
    }
    // The bank reports purchases: 2 in 5 of the treatment group, 1 in 5 of the control group (true difference 0.2).
    const buy = (c: { id: string }) => bankRequest(bff, '/bank/conversions', { eventId: `buy-${randomUUID()}`, kind: 'product_bought', occurredAt: bff.clock.now().toISOString(), customerId: c.id, productCode: 'WM-001', amountYuan: 50000 });
    for (const [i, c] of treatment.entries()) if (i % 5 < 2) expect((await buy(c)).status).toBe(200);
    for (const [i, c] of control.entries()) if (i % 5 < 1) expect((await buy(c)).status).toBe(200);
    // A resent batch and a repeated report change nothing.
    await bff.request('POST', '/api/v1/events', { token: treatment[0].token, body: { events: sent[treatment[0].id] } });

    const count = (list: unknown[], every: number, under: number) => list.filter((_, i) => i % every < under).length;
    const res = await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics?conversion=product_bought`, { token: tokens.reviewer });
    expect(res.status).toBe(200);
    const funnel = Object.fromEntries(res.body.funnel.map((f: { step: string }) => [f.step, f]));
    expect(funnel.impression.customers).toBe(treatment.length);
    expect(funnel.click.customers).toBe(count(treatment, 5, 3));
    expect(funnel.participate.customers).toBe(count(treatment, 5, 2));
    expect(funnel.reward.customers).toBe(count(treatment, 5, 2));
    expect(funnel.convert.customers).toBe(count(treatment, 5, 2));
    expect(funnel.click.medianSecondsFromPrevious).toBe(60);
    expect(funnel.participate.medianSecondsFromPrevious).toBe(60);
    expect(funnel.click.dropOff).toBeCloseTo(1 - count(treatment, 5, 3) / treatment.length, 4);

    const { experiment } = res.body;
    expect(experiment.treatment).toEqual({ customers: treatment.length, converted: count(treatment, 5, 2), rate: expect.any(Number) });
    expect(experiment.control).toEqual({ customers: control.length, converted: count(control, 5, 1), rate: expect.any(Number) });
    expect(experiment.participants).toEqual({ customers: count(treatment, 5, 2), converted: count(treatment, 5, 2), rate: 1 });
    expect(experiment.method).toBe('newcombe-hybrid-score');
    expect(experiment.ci95.low).toBeLessThan(0.2);
    expect(experiment.ci95.high).toBeGreaterThan(0.2);
    expect(experiment.difference).toBeCloseTo(count(treatment, 5, 2) / treatment.length - count(control, 5, 1) / control.length, 5);
    expect(res.body.trend).toHaveLength(1);
    expect(res.body.trend[0]).toMatchObject({ impression: treatment.length, click: count(treatment, 5, 3) });

    // The aggregate equals a recount of the raw events.
    const check = await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics/check`, { token: tokens.admin });
    expect(check.body.consistent).toBe(true);
    expect(check.body.steps.find((s: { step: string }) => s.step === 'impression').recount).toBe(treatment.length);

    const csv = await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics.csv`, { token: tokens.admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body)).toContain('对照组');
  });

  test('only staff who may see the activity read its analytics', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: 'org-gz' }));
    const rm = await staffToken(bff, 'rm');
    expect((await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics`, { token: rm })).status).toBe(403);
    const c = await customerSession(bff);
    expect((await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics`, { token: c.token })).status).toBe(403);
    expect((await bff.request('GET', `/api/v1/admin/activities/nope/analytics`, { token: tokens.admin })).status).toBe(404);
    expect((await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics?conversion=lottery`, { token: tokens.admin })).status).toBe(400);
  });
});
