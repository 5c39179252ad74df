import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('tracking');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const event = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: 'page_view',
  clientTime: bff.clock.now().toISOString(),
  page: 'pages/index/index',
  ...overrides,
});
const send = (token: string, events: unknown[]) => bff.request('POST', '/api/v1/events', { token, body: { events } });
const stored = (customerId: string) => bff.db.collection('behaviour_events').find({ customerId }).toArray();

describe('behaviour events ingest', () => {
  test('a batch keeps exactly its good events, refuses each bad one with its place and reason, and keeps a resent event once', async () => {
    const c = await customerSession(bff);
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { controlGroupPercent: 50 }));
    const good = [
      event(),
      event({ type: 'click', activityId, props: { position: 2, slot: 'banner' } }),
      event({ type: 'share', page: 'packages/activity/detail/index', activityId }),
    ];
    const bad = [
      event({ type: 'teleport' }),
      event({ clientTime: new Date(bff.clock.now().getTime() + 60 * 60 * 1000).toISOString() }),
      event({ props: { note: '请联系 13812345678' } }),
      event({ customerPhone: '13812345678' }),
      { id: 'not-a-uuid', type: 'page_view', clientTime: bff.clock.now().toISOString(), page: 'pages/index/index' },
    ];
    const res = await send(c.token, [good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3], bad[4]]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3, 4, 6, 7]);
    expect(res.body.rejected.every((r: { reason: string }) => r.reason.length > 0)).toBe(true);

    const kept = await stored(c.id);
    expect(kept.map((d) => d._id).sort()).toEqual(good.map((g) => g.id).sort());
    const click = kept.find((d) => d.type === 'click')!;
    expect(click).toMatchObject({ customerId: c.id, activityId, props: { position: 2, slot: 'banner' }, segment: null, managerId: null });
    expect(typeof click.control).toBe('boolean');
    expect(click.serverTime).toBeInstanceOf(Date);
    expect(JSON.stringify(kept)).not.toMatch(/1[3-9]\d{9}/);

    const again = await send(c.token, [good[0], good[1], event()]);
    expect(again.body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await stored(c.id)).toHaveLength(4);
  });

  test('personal data in any field, however written, is refused with its place and reason, and never stored', async () => {
    const c = await customerSession(bff);
    // The leaks seen: a phone as a JSON number, +86, dashes, a card number, a phone as activityId,
    // an ID number as itemId, a phone inside page; then full-width digits, a 15-digit ID, nested props.
    const leaks = [
      event({ props: { amount: 13800138000 } }),
      event({ props: { contact: '+8613800138000' } }),
      event({ props: { contact: '138-0013-8000' } }),
      event({ props: { card: '6222 0212 3456 7894' } }),
      event({ activityId: '13800138000' }),
      event({ itemId: '310101199001011234' }),
      event({ page: 'pages/u/13800138000/index' }),
      event({ props: { contact: '１３８００１３８０００' } }),
      event({ props: { id: '110101900307123' } }),
      event({ props: { note: '0086 138 0013 8000' } }),
      event({ itemId: '11010119900307123X' }),
    ];
    const fine = [event({ props: { position: 12, ts: 1764902415123 } }), event({ activityId: '0f3c2b1a-1234-4abc-8def-123456789012' })];
    const res = await send(c.token, [...leaks, ...fine]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual(leaks.map((_, i) => i));
    expect(res.body.rejected[0].reason).toBe('props.amount: 事件不得包含个人信息（手机号）');
    expect(res.body.rejected[3].reason).toBe('props.card: 事件不得包含个人信息（银行卡号）');
    expect(res.body.rejected[5].reason).toBe('itemId: 事件不得包含个人信息（身份证号）');
    expect((await stored(c.id)).map((d) => d._id).sort()).toEqual(fine.map((e) => e.id).sort());
  });

  test('an id sent again with other content is refused (EVENT_ID_CONFLICT); the stored event stays what is counted and delivered', async () => {
    const c = await customerSession(bff);
    const other = await customerSession(bff);
    const first = event({ type: 'click', props: { position: 1 } });
    expect((await send(c.token, [first])).body.accepted).toBe(1);
    const changed = { ...first, props: { position: 9 } };
    const res = await send(c.token, [changed, first]);
    expect(res.body).toEqual({ accepted: 0, duplicates: 1, rejected: [{ index: 0, reason: expect.stringContaining('EVENT_ID_CONFLICT') }] });
    // Twice in one batch: the same event is one, other content under its id is refused.
    const twice = event();
    const again = await send(c.token, [twice, { ...twice }, { ...twice, page: 'pages/mall/index' }]);
    expect(again.body).toEqual({ accepted: 1, duplicates: 1, rejected: [{ index: 2, reason: expect.stringContaining('EVENT_ID_CONFLICT') }] });
    // Another customer reusing the id is refused the same way, and gets nothing of the first.
    const stolen = await send(other.token, [first]);
    expect(stolen.body.rejected).toEqual([{ index: 0, reason: expect.stringContaining('EVENT_ID_CONFLICT') }]);
    expect(await bff.db.collection('behaviour_events').findOne({ _id: first.id } as never)).toMatchObject({ customerId: c.id, props: { position: 1 } });
  });

  test('the bank reports the conversions analytics compare: kept once with their product and amount, paying nothing', async () => {
    const c = await customerSession(bff);
    const report = {
      eventId: `core-${randomUUID()}`,
      kind: 'product_bought',
      occurredAt: bff.clock.now().toISOString(),
      customerId: c.id,
      productCode: 'WM-2026-07',
      amountYuan: 50000,
    };
    for (let i = 0; i < 2; i++) {
      const res = await bankRequest(bff, '/bank/conversions', report);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ duplicate: i === 1, tasksPaid: 0 });
    }
    expect(await bff.db.collection<{ _id: string }>('conversion_reports').findOne({ _id: report.eventId })).toMatchObject({
      kind: 'product_bought',
      customerId: c.id,
      productCode: 'WM-2026-07',
      amountYuan: 50000,
    });
    for (const kind of ['aum_change', 'salary_credited', 'deposit_maturing']) {
      expect((await bankRequest(bff, '/bank/conversions', { ...report, eventId: `core-${randomUUID()}`, kind })).status).toBe(200);
    }
    expect((await bankRequest(bff, '/bank/conversions', { ...report, eventId: `core-${randomUUID()}`, kind: 'lottery_won' })).status).toBe(400);
  });

  test('more than 200 events or 256 KB is refused with 413, and no token is 401', async () => {
    const c = await customerSession(bff);
    const many = await send(
      c.token,
      Array.from({ length: 201 }, () => event()),
    );
    expect(many.status).toBe(413);
    const big = await send(
      c.token,
      Array.from({ length: 150 }, () => event({ padding: 'x'.repeat(2000) })),
    );
    expect(big.status).toBe(413);
    expect(await stored(c.id)).toHaveLength(0);
    expect((await bff.call('trackEvents', { body: { events: [event()] } })).status).toBe(401);
  });
});
