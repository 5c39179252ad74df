import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { fakeBankFor } from '../helpers/delivery';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import type { FakeBank } from '../../fake-bank/server';

let stack: H5Stack;
let bank: FakeBank;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  let now = () => Date.now();
  const fake = await fakeBankFor(() => now());
  bank = fake.bank;
  stack = await startH5Stack('e2etracking', { env: { BANK_WEBHOOK_URL: fake.env.BANK_WEBHOOK_URL, BANK_WEBHOOK_SECRET: fake.env.BANK_WEBHOOK_SECRET } });
  now = () => stack.bff.clock.now().getTime();
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await bank?.close();
});

describe('behaviour events from the H5 build to the bank', () => {
  test('browsing 首页 and opening an activity sends page views, an impression and a click that reach the fake bank, signed', async () => {
    const activityId = await publishActivity(stack.bff, tokens, activityInput(stack.bff, { title: '埋点直播活动' }));
    const page = await stack.open(`o_track_${Date.now()}`, '/pages/index/index');
    const card = page.locator('[data-testid="activity-card"]:visible').filter({ hasText: '埋点直播活动' });
    await card.waitFor();
    await card.click();
    await page.locator('[data-testid="activity-title"]:visible').filter({ hasText: '埋点直播活动' }).waitFor();
    // The tracker sends what waits within its flush interval (five seconds).

    const kept = (type: string) => stack.bff.db.collection('behaviour_events').countDocuments({ type, ...(type === 'page_view' ? {} : { activityId }) });
    for (let i = 0; i < 150 && ((await kept('click')) < 1 || (await kept('impression')) < 1 || (await kept('page_view')) < 2); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await kept('impression')).toBeGreaterThanOrEqual(1);
    expect(await kept('click')).toBe(1);

    // Delivery is asynchronous: a batch that timed out on a loaded machine is retried after its backoff.
    const behaviour = () => [...bank.events().values()].filter((e) => e.source === 'behaviour');
    for (let i = 0; i < 40 && !behaviour().some((e) => e.name === 'click'); i++) {
      await stack.bff.app.services.capabilities.delivery.relay.runOnce();
      if (!behaviour().some((e) => e.name === 'click')) await new Promise((r) => setTimeout(r, 500));
    }
    const received = behaviour();
    const click = received.find((e) => e.name === 'click');
    expect(click?.body).toMatchObject({ data: { activityId, page: 'pages/index/index', props: { slot: 'home_feed', position: expect.any(Number) } } });
    expect(received.filter((e) => e.name === 'page_view').map((e) => (e.body.data as { page: string }).page)).toEqual(
      expect.arrayContaining(['pages/index/index', 'packages/activity/detail/index']),
    );
    expect(bank.stats().badSignatures).toBe(0);
  }, 120_000);
});
