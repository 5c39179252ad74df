import { createHash, randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { checkedFetch } from '../helpers/contract';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, publishActivity } from '../helpers/activities';
import { drawInput, giveChances, walkDrawCheck } from '../helpers/draws';
import { armedFaults } from '../helpers/faults';
import { givePoints } from '../helpers/mall';

const faults = armedFaults();
let bff: TestBff;

beforeAll(async () => {
  bff = await startBff('drawsrecovery', { faults });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const post = (token: string, path: string, key: string) =>
  checkedFetch(`${bff.url}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key } });

/** The recovery sweep, as the maintenance runner calls it, once the in-flight lease has run out. */
async function sweep() {
  bff.clock.advance(61_000);
  return bff.app.services.capabilities.draws.service.recover();
}

async function freshDraw() {
  const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  const input = drawInput(bff, {
    prizes: [
      { code: 'P50', name: '50 积分', kind: 'points', points: 50, valueYuan: 0.5, weight: 1_000_000, quantity: 5 },
      { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
    ],
  });
  const id = await publishActivity(bff, tokens, input);
  return { id, code: input.code, admin: tokens.admin };
}

describe('a draw cut short by a crash', () => {
  test.each(['after:draw.spent', 'after:draw.taken', 'after:draw.decided'])(
    'at %s: the sweep finishes it once, a retry gets the same outcome, the next draw is not blocked',
    async (point) => {
      const draw = await freshDraw();
      const c = await customerSession(bff);
      await giveChances(bff, draw.code, c.id, 2);
      const key = randomUUID();
      faults.arm(point, 'crash');
      expect((await post(c.token, `/activities/${draw.id}/draw/draws`, key)).status).toBe(500);

      expect(await sweep()).toBe(1);
      const token = c.token;
      const again = await post(token, `/activities/${draw.id}/draw/draws`, key);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ prizeCode: 'P50', chancesLeft: 1 });
      expect((await bff.app.services.points.balance(c.id)).balance).toBe(50);
      const next = await post(token, `/activities/${draw.id}/draw/draws`, randomUUID());
      expect(next.body).toMatchObject({ prizeCode: 'P50', chancesLeft: 0 });
      expect((await bff.app.services.points.balance(c.id)).balance).toBe(100);
      const books = await walkDrawCheck(bff, await staffToken(bff, 'admin'), draw.id);
      expect(books).toMatchObject({ checkedDraws: 2, violations: [] });
    },
  );

  test('a draw the crash left undecided is finished by the customer’s next draw, before it spends another chance', async () => {
    const draw = await freshDraw();
    const c = await customerSession(bff);
    await giveChances(bff, draw.code, c.id, 2);
    faults.arm('after:draw.spent', 'crash');
    expect((await post(c.token, `/activities/${draw.id}/draw/draws`, randomUUID())).status).toBe(500);
    const next = await post(c.token, `/activities/${draw.id}/draw/draws`, randomUUID());
    expect(next.body).toMatchObject({ prizeCode: 'P50', chancesLeft: 0 });
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(100);
    const books = await walkDrawCheck(bff, await staffToken(bff, 'admin'), draw.id);
    expect(books).toMatchObject({ checkedDraws: 2, violations: [] });
  });

  test('a database too busy to take a write is answered 503, to try again; the same key then finishes the draw once', async () => {
    const draw = await freshDraw();
    const c = await customerSession(bff);
    await giveChances(bff, draw.code, c.id, 1);
    const key = randomUUID();
    faults.arm('after:draw.taken', 'busy');
    const busy = await post(c.token, `/activities/${draw.id}/draw/draws`, key);
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('SERVICE_UNAVAILABLE');
    const again = await post(c.token, `/activities/${draw.id}/draw/draws`, key);
    expect(again.body).toMatchObject({ prizeCode: 'P50', chancesLeft: 0 });
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(50);
  });

  test('a purchase cut short after the debit: the sweep grants the chance it paid for, once', async () => {
    const draw = await freshDraw();
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 50);
    const key = randomUUID();
    faults.arm('after:draw.debited', 'crash');
    expect((await post(c.token, `/activities/${draw.id}/draw/chances`, key)).status).toBe(500);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(30);
    expect(await sweep()).toBe(1);
    const again = await post(c.token, `/activities/${draw.id}/draw/chances`, key);
    expect(again.body).toMatchObject({ chances: 1, balance: 30 });
    const books = await walkDrawCheck(bff, await staffToken(bff, 'admin'), draw.id);
    expect(books.violations).toEqual([]);
  });

  test('a purchase whose chance could not be written after the debit (the database failed) is finished by the sweep, not dropped', async () => {
    const draw = await freshDraw();
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 50);
    faults.arm('before:draw.granted', 'error');
    expect((await post(c.token, `/activities/${draw.id}/draw/chances`, randomUUID())).status).toBe(500);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(30);
    // The customer does not try again: the sweep alone gives them the chance they paid for.
    expect(await sweep()).toBe(1);
    expect((await bff.call('getMyDraw', { params: { id: draw.id } }, { token: c.token })).body).toMatchObject({ chances: 1 });
    const books = await walkDrawCheck(bff, await staffToken(bff, 'admin'), draw.id);
    expect(books.violations).toEqual([]);
  });

  test('a purchase held past its lease: the sweep gives its place back, and the debit landing after it is refunded, so the total quota holds', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const input = drawInput(bff, { quotas: { total: 1 } });
    const id = await publishActivity(bff, tokens, input);
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 100);
    const held = faults.hold('after:draw.reserved');
    const slow = post(c.token, `/activities/${id}/draw/chances`, randomUUID());
    await held.reached;
    // The sweep finds the purchase past its lease with no points taken: its place goes back.
    expect(await sweep()).toBe(1);
    const other = await post(c.token, `/activities/${id}/draw/chances`, randomUUID());
    expect(other.body).toMatchObject({ chances: 1, balance: 80 });
    held.release();
    const late = await slow;
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DRAW_PURCHASE_LAPSED');
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(80);
    const state = await bff.call('getMyDraw', { params: { id } }, { token: c.token });
    expect(state.body).toMatchObject({ chances: 1, drawsLeft: { total: 1 } });
    const books = await walkDrawCheck(bff, tokens.admin, id);
    expect(books.violations).toEqual([]);
  });

  // Issue 26, finding 7: a unit given back after a concurrent run recorded the attempt as refused went back to the total only.
  test('a unit given back because another run of the same draw recorded its attempt as refused goes back to the daily cap too', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const input = drawInput(bff, {
      prizes: [
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 1_000_000, quantity: 5, dailyCap: 1 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
      ],
    });
    const id = await publishActivity(bff, tokens, input);
    const [c, d] = [await customerSession(bff), await customerSession(bff)];
    await giveChances(bff, input.code, c.id, 1);
    await giveChances(bff, input.code, d.id, 1);
    const key = randomUUID();
    // This run takes today's one cup and dies before recording its attempt; another run of the same draw recorded it as refused first.
    faults.arm('after:draw.taken', 'crash');
    expect((await post(c.token, `/activities/${id}/draw/draws`, key)).status).toBe(500);
    const drawId = createHash('sha256').update(['draw', c.id, id, key].join('|')).digest('hex').slice(0, 24);
    await bff.db.collection('draw_results').insertOne({ _id: `${drawId}#0` as never, code: 'CUP', ok: false });
    const again = await post(c.token, `/activities/${id}/draw/draws`, key);
    expect(again.body).toMatchObject({ prizeCode: 'THANKS' });
    // Today's cup is free again: the next customer wins it.
    expect((await post(d.token, `/activities/${id}/draw/draws`, randomUUID())).body).toMatchObject({ prizeCode: 'CUP' });
    const stats = await bff.call('getDrawStats', { params: { id } }, { token: tokens.admin });
    expect(stats.body.prizes[0]).toMatchObject({ won: 1, left: 4 });
    expect((await walkDrawCheck(bff, tokens.admin, id)).violations).toEqual([]);
  });

  // Issue 26, finding 17: one draw that could not finish stopped the sweep for every other.
  test('a draw the sweep cannot finish does not stop it finishing the others; it is tried again on the next sweep', async () => {
    const draw = await freshDraw();
    const customers = [await customerSession(bff), await customerSession(bff), await customerSession(bff)];
    for (const c of customers) {
      await giveChances(bff, draw.code, c.id, 1);
      faults.arm('after:draw.spent', 'crash');
      expect((await post(c.token, `/activities/${draw.id}/draw/draws`, randomUUID())).status).toBe(500);
    }
    bff.clock.advance(61_000);
    // The first draw the sweep takes up fails; the other two are finished all the same.
    faults.arm('after:draw.decided', 'error');
    const outcome = await bff.app.services.maintenance.runOnce();
    expect(outcome['draws.inFlight']).toEqual(2);
    const paid = await Promise.all(customers.map(async (c) => (await bff.app.services.points.balance(c.id)).balance));
    expect(paid.filter((b) => b === 50)).toHaveLength(2);
    expect(await bff.app.services.capabilities.draws.service.recover()).toBe(1);
    const after = await Promise.all(customers.map(async (c) => (await bff.app.services.points.balance(c.id)).balance));
    expect(after).toEqual([50, 50, 50]);
    const books = await walkDrawCheck(bff, draw.admin, draw.id);
    expect(books).toMatchObject({ checkedDraws: 3, violations: [] });
  });
});
