import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { categoryInput, givePoints, itemInput, publishEntry, redeem } from '../helpers/mall';
import { settledTo } from '../helpers/settled';

/**
 * Every claim taken before the step it guards is resumable: a crash (or a 503) between the two
 * leaves nothing stuck, because a retry or the recovery sweep completes what the claim began.
 */
const faults = armedFaults();
let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('reviewrecovery', { faults });
  await seedDemo(bff);
  await refreshTokens();
  await publishEntry(bff, tokens, categoryInput());
}, 60_000);
afterAll(() => bff.stop());

async function refreshTokens() {
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
}
/** Runs the sweeps as the maintenance job would, once the lease of a step cut short has passed. */
async function sweep() {
  bff.clock.advance(61_000);
  const done = await bff.app.services.maintenance.runOnce();
  await refreshTokens(); // the moved clock would expire them across tests
  return done;
}

describe('review: a crash after each claim', () => {
  test('after the code is claimed: creating it again completes the document, the code is not lost', async () => {
    const input = activityInput(bff);
    faults.arm('after:review.code-claimed', 'crash');
    expect((await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input })).status).toBe(500);
    const again = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ code: input.code, state: 'draft', workingRevision: 1 });
    // The code now belongs to that document: a third create is refused.
    expect((await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input })).body.code).toBe('CONFLICT');
  });

  test('after an edit is written: the view catches up in the sweep, and the next edit goes through', async () => {
    const input = activityInput(bff);
    const id = (await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input })).body.id;
    faults.arm('after:review.edited', 'crash');
    expect((await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: tokens.admin, body: { ...input, title: '第二版' } })).status).toBe(500);
    expect((await sweep())['activities.steps']).toBeGreaterThanOrEqual(1);
    expect((await bff.call('getActivity', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ workingRevision: 2, working: { title: '第二版' } });
    const third = await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: tokens.admin, body: { ...input, title: '第三版' } });
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ workingRevision: 3 });
  });

  test('after an item’s approval is written: the sweep puts it live with its first stock, once', async () => {
    const created = (
      await bff.request('POST', '/api/v1/admin/mall/catalogue', {
        token: tokens.admin,
        body: itemInput(bff, { type: 'perk', pricePoints: 10, initialStock: 3, fulfilment: { instructions: '出示券号' } }),
      })
    ).body;
    await bff.call('submitCatalogueEntry', { params: { id: created.id } }, { token: tokens.admin });
    faults.arm('after:review.approved', 'crash');
    expect((await bff.call('approveCatalogueEntry', { params: { id: created.id }, body: {} }, { token: tokens.reviewer })).status).toBe(500);
    // The approval stands: it cannot be given twice.
    expect((await bff.call('approveCatalogueEntry', { params: { id: created.id }, body: {} }, { token: tokens.reviewer })).status).toBe(409);

    await sweep();
    expect((await bff.call('getMallItemStock', { params: { id: created.id } }, { token: tokens.admin })).body).toMatchObject({ stock: 3, initial: 3 });
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 10);
    expect((await redeem(bff.url, c.token, { itemId: created.id })).body.status).toBe('completed');
    await sweep(); // again: nothing more happens
    expect((await bff.call('getMallItemStock', { params: { id: created.id } }, { token: tokens.admin })).body).toMatchObject({ stock: 2, sold: 1, initial: 3 });
    expect(await settledTo(() => bff.db.collection('outbox_events').countDocuments({ name: 'mall.item_published', 'payload.itemId': created.id }), 1)).toBe(1);
  });

  test('a slower projector never leaves an older view over a newer one: a withdrawn item is not left on sale', async () => {
    const created = (
      await bff.request('POST', '/api/v1/admin/mall/catalogue', {
        token: tokens.admin,
        body: itemInput(bff, { type: 'perk', pricePoints: 10, initialStock: 3, fulfilment: { instructions: '出示券号' } }),
      })
    ).body;
    await bff.call('submitCatalogueEntry', { params: { id: created.id } }, { token: tokens.admin });
    faults.arm('after:review.approved', 'crash');
    await bff.call('approveCatalogueEntry', { params: { id: created.id }, body: {} }, { token: tokens.reviewer });
    // The sweep projects the approval, and is held just before it writes its (by then old) view…
    const held = faults.hold('review:before-view-write');
    bff.clock.advance(61_000);
    await refreshTokens();
    const sweeping = bff.app.services.capabilities.mall.catalogueAdmin.recover();
    await held.reached;
    // …while the item is withdrawn and its newer view written.
    expect((await bff.call('withdrawCatalogueEntry', { params: { id: created.id }, body: { reason: '合作终止' } }, { token: tokens.admin })).body.state).toBe('withdrawn');
    held.release();
    await sweeping;
    expect((await bff.call('getCatalogueEntry', { params: { id: created.id } }, { token: tokens.admin })).body.state).toBe('withdrawn');
    const c = await customerSession(bff);
    expect((await bff.call('getMallHome', {}, { token: c.token })).body.items.map((i: { id: string }) => i.id)).not.toContain(created.id);
    expect((await bff.call('getMallItem', { params: { id: created.id } }, { token: c.token })).status).not.toBe(200);
  });
});

describe('two-person approvals: a crash between the decision and the change', () => {
  test('the same reviewer’s retry applies the points adjustment once', async () => {
    const requested = (await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-1', amount: 70, reason: '补偿' } }, { token: tokens.admin })).body;
    faults.arm('after:points_adjustment.decided', 'crash');
    expect((await bff.call('approvePointsAdjustment', { params: { id: requested.id }, body: {} }, { token: tokens.reviewer })).status).toBe(500);
    expect((await bff.app.services.points.balance('cust-demo-1')).balance).toBe(0);
    expect((await bff.call('approvePointsAdjustment', { params: { id: requested.id }, body: {} }, { token: tokens.reviewer })).body.status).toBe('approved');
    expect((await bff.app.services.points.balance('cust-demo-1')).balance).toBe(70);
  });

  test('the sweep applies a stock adjustment whose approval was cut short, once', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', initialStock: 1, fulfilment: { instructions: '到店出示' } }));
    const requested = (await bff.call('requestStockAdjustment', { params: { id }, body: { delta: 4, reason: '追加' } }, { token: tokens.admin })).body;
    faults.arm('after:mall_stock_adjustment.applied', 'crash');
    expect((await bff.call('approveStockAdjustment', { params: { id: requested.id }, body: {} }, { token: tokens.reviewer })).status).toBe(500);
    expect((await sweep())['mall.stockAdjustments']).toBe(1);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ stock: 5, adjusted: 4 });
    const pending = (await bff.call('listPendingStockAdjustments', {}, { token: tokens.reviewer })).body.items.map((a: { id: string }) => a.id);
    expect(pending).not.toContain(requested.id);
    expect((await sweep())['mall.stockAdjustments']).toBe(0);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ stock: 5, adjusted: 4 });
  });
});
