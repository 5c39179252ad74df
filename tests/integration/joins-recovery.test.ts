import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { livestreamInput, publishReviewed } from '../helpers/life';

// A decision once recorded is carried out: a join or a reservation cut short by a crash after it was recorded pays its reward and joins its linked activities through the sweep, once.
const faults = armedFaults();
let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('joinsrecovery', { faults });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const HOUR = 3600_000;
const iso = (ms: number) => new Date(bff.clock.now().getTime() + ms).toISOString();
const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;
/** The sweeps as the maintenance runner calls them, once the in-flight leases have run out. */
async function sweep() {
  bff.clock.advance(61_000);
  const { activities, livestreams } = bff.app.services.capabilities;
  return { joins: await activities.customer.recover(), reservations: await livestreams.schedule.recover() };
}

describe('a join or a reservation cut short after it was recorded', () => {
  test('a join: the customer sees 已参与 at once; the sweep pays its reward, once, without the customer trying again', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '参与即送积分', reward: { kind: 'points', amount: 12 } }));
    const c = await customerSession(bff);
    const before = await balance(c.token);
    faults.arm('after:activity.joined', 'crash');
    expect((await bff.call('joinActivity', { params: { id } }, { token: c.token })).status).toBe(500);
    expect((await bff.call('getMyActivity', { params: { id } }, { token: c.token })).body.joined).toBe(true);
    expect(await balance(c.token)).toBe(before);
    expect((await sweep()).joins).toMatchObject({ done: 1, failed: 0 });
    expect(await balance(c.token)).toBe(before + 12);
    // Swept again, or joined again: nothing more is paid.
    expect((await sweep()).joins).toMatchObject({ done: 0 });
    expect((await bff.call('joinActivity', { params: { id } }, { token: c.token })).body.duplicate).toBe(true);
    expect(await balance(c.token)).toBe(before + 12);
  });

  test('a customer who asks for deletion before the sweep is not paid by it (no account writes after consent is withdrawn)', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '参与送积分（删除前）', reward: { kind: 'points', amount: 9 } }));
    const c = await customerSession(bff);
    const before = await balance(c.token);
    faults.arm('after:activity.joined', 'crash');
    expect((await bff.call('joinActivity', { params: { id } }, { token: c.token })).status).toBe(500);
    expect((await bff.call('requestMyDataDeletion', {}, { token: c.token })).status).toBe(200);
    expect((await sweep()).joins).toMatchObject({ done: 1, failed: 0 });
    const ledger = await bff.app.services.points.page(c.id, undefined, 20);
    expect(ledger.items.reduce((sum: number, e: { amount: number }) => sum + e.amount, 0)).toBe(before);
  });

  test('a reservation: the show is reserved at once; the sweep joins its linked 直播 activity and pays it, once', async () => {
    const activity = await publishActivity(bff, tokens, activityInput(bff, { title: '预约直播送积分', reward: { kind: 'points', amount: 8 } }));
    const live = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(iso(2 * HOUR), iso(3 * HOUR), { activityIds: [activity] }));
    const c = await customerSession(bff);
    const before = await balance(c.token);
    faults.arm('after:livestream.reserved', 'crash');
    expect((await bff.call('reserveLivestream', { params: { id: live }, body: { subscribed: false } }, { token: c.token })).status).toBe(500);
    expect((await bff.call('viewLivestream', { params: { id: live } }, { token: c.token })).body.reserved).toBe(true);
    expect((await bff.call('getMyActivity', { params: { id: activity } }, { token: c.token })).body.joined).toBe(false);
    expect((await sweep()).reservations).toMatchObject({ done: 1, failed: 0 });
    expect((await bff.call('getMyActivity', { params: { id: activity } }, { token: c.token })).body.joined).toBe(true);
    expect(await balance(c.token)).toBe(before + 8);
    expect((await sweep()).reservations).toMatchObject({ done: 0 });
    expect(await balance(c.token)).toBe(before + 8);
  });
});

describe('a reservation cut short, then a deletion request', () => {
  test('the sweep joins nothing and pays nothing for a customer who has since asked for deletion', async () => {
    const activity = await publishActivity(bff, tokens, activityInput(bff, { title: '预约直播送积分（删除前）', reward: { kind: 'points', amount: 7 } }));
    const live = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(iso(2 * HOUR), iso(3 * HOUR), { activityIds: [activity] }));
    const c = await customerSession(bff);
    faults.arm('after:livestream.reserved', 'crash');
    expect((await bff.call('reserveLivestream', { params: { id: live }, body: { subscribed: false } }, { token: c.token })).status).toBe(500);
    expect((await bff.call('requestMyDataDeletion', {}, { token: c.token })).status).toBe(200);
    expect((await sweep()).reservations).toMatchObject({ done: 1, failed: 0 });
    const ledger = await bff.app.services.points.page(c.id, undefined, 20);
    expect(ledger.items.filter((e: { description: string }) => e.description.includes('预约直播送积分（删除前）'))).toEqual([]);
  });
});
