import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, publishActivity } from '../helpers/activities';
import { drawInput, giveChances, walkDrawCheck } from '../helpers/draws';
import { itemInput, publishEntry, walkMallCheck } from '../helpers/mall';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { checkedFetch } from '../helpers/contract';
import { armedFaults } from '../helpers/faults';

// A mall item as a lucky-draw prize: its units come out of the mall's stock when the draw is
// approved, and each win is fulfilled and shipped as the item's mall order.
const dbName = uniqueDbName('draw-mall-prizes');
let bff: TestBff;
let tokens: { admin: string; reviewer: string };
const faults = armedFaults();
let processes: BffProcess[] = [];

beforeAll(async () => {
  bff = await startBff('draw-mall-prizes', { dbName, faults });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  processes = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
}, SPAWN_HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await bff.stop();
});
const physicalItem = (initialStock: number) => itemInput(bff, { type: 'physical', title: '定制保温杯', initialStock, fulfilment: { shippingNote: '顺丰包邮' } });
const stockOf = async (itemId: string) => (await bff.call('getMallItemStock', { params: { id: itemId } }, { token: tokens.admin })).body.stock;

function mallPrizeDraw(gift: { itemCode: string; quantity: number }, perk?: { itemCode: string; quantity: number }) {
  return drawInput(bff, {
    prizes: [
      { code: 'GIFT', name: '定制保温杯', kind: 'mall_item', itemCode: gift.itemCode, valueYuan: 80, weight: 500, quantity: gift.quantity },
      ...(perk ? [{ code: 'LOUNGE', name: '机场贵宾厅', kind: 'mall_item', itemCode: perk.itemCode, valueYuan: 200, weight: 500, quantity: perk.quantity }] : []),
      { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
    ],
    costPoints: 0,
  });
}

async function submitted(input: ReturnType<typeof mallPrizeDraw>) {
  const id = (await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input })).body.id as string;
  return { id, submit: () => bff.call('submitActivity', { params: { id } }, { token: tokens.admin }) };
}

describe('mall items as prizes', () => {
  test('refused at submission: an unknown item, a top-up, more units than are on sale; at approval: units sold meanwhile', async () => {
    const cupCode = physicalItem(6);
    const cupId = await publishEntry(bff, tokens, cupCode);
    const topup = itemInput(bff, { type: 'topup', title: '话费 10 元', fulfilment: { productCode: 'TOPUP10', faceValueYuan: 10 } });
    await publishEntry(bff, tokens, topup);
    for (const [prize, message] of [
      [{ itemCode: 'NO-SUCH-ITEM', quantity: 1 }, '不存在'],
      [{ itemCode: topup.code, quantity: 1 }, '只有实物好礼和银行特权'],
      [{ itemCode: cupCode.code, quantity: 7 }, '不足奖品数量 7'],
    ] as const) {
      const res = await (await submitted(mallPrizeDraw(prize))).submit();
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DRAW_PRIZE_ITEM_UNAVAILABLE');
      expect(res.body.message).toContain(message);
    }
    // Two draws each asking for 4 of the 6 cups: the first approved takes them, the second cannot go live.
    const first = await submitted(mallPrizeDraw({ itemCode: cupCode.code, quantity: 4 }));
    const second = await submitted(mallPrizeDraw({ itemCode: cupCode.code, quantity: 4 }));
    expect((await first.submit()).status).toBe(200);
    expect((await second.submit()).status).toBe(200);
    expect((await bff.call('approveActivity', { params: { id: first.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect(await stockOf(cupId)).toBe(2);
    const refused = await bff.call('approveActivity', { params: { id: second.id }, body: {} }, { token: tokens.reviewer });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'DRAW_PRIZE_ITEM_UNAVAILABLE' });
    expect((await bff.call('getActivity', { params: { id: second.id } }, { token: tokens.admin })).body.state).toBe('pending_review');
    expect(await stockOf(cupId)).toBe(2);
  });

  test('approval sets the units aside; wins become zero-points mall orders; goods are claimed, shipped by an admin, and the books stay clean', async () => {
    const cup = physicalItem(10);
    const cupId = await publishEntry(bff, tokens, cup);
    const lounge = itemInput(bff, { type: 'perk', title: '机场贵宾厅', initialStock: 5, fulfilment: { instructions: '凭券号在柜台出示' } });
    const loungeId = await publishEntry(bff, tokens, lounge);
    const input = mallPrizeDraw({ itemCode: cup.code, quantity: 3 }, { itemCode: lounge.code, quantity: 2 });
    const id = await publishActivity(bff, tokens, input);
    expect([await stockOf(cupId), await stockOf(loungeId)]).toEqual([7, 3]);

    const c = await customerSession(bff);
    const rules = await bff.call('getMyDraw', { params: { id } }, { token: c.token });
    expect(rules.body.prizes.map((p: { code: string; kind: string; quantity: number; left: number }) => [p.code, p.kind, p.quantity, p.left])).toEqual([
      ['GIFT', 'mall_item', 3, 3],
      ['LOUNGE', 'mall_item', 2, 2],
      ['THANKS', 'none', null, null],
    ]);

    await giveChances(bff, input.code, c.id, 12);
    const outcomes: any[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await bff.call('drawOnce', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token });
      expect(res.status).toBe(200);
      outcomes.push(res.body);
    }
    const wins = (code: string) => outcomes.filter((o) => o.prizeCode === code);
    expect([wins('GIFT').length, wins('LOUNGE').length]).toEqual([3, 2]);
    expect(wins('GIFT').every((o) => o.state === 'to_claim' && o.claimBy !== null)).toBe(true);
    expect(wins('LOUNGE').every((o) => o.state === 'issued' && o.claimBy === null)).toBe(true);
    // The mall's on-sale stock is untouched by the wins: the units were set aside at approval.
    expect([await stockOf(cupId), await stockOf(loungeId)]).toEqual([7, 3]);

    const prizes = async () => (await bff.call('listMyDrawPrizes', undefined, { token: c.token })).body.items as any[];
    const lounges = (await prizes()).filter((p) => p.kind === 'mall_item' && p.state === 'issued');
    expect(lounges).toHaveLength(2);
    const loungeOrder = await bff.call('getMyMallOrder', { params: { id: lounges[0].orderId } }, { token: c.token });
    expect(loungeOrder.body).toMatchObject({ status: 'completed', prize: true, pricePoints: 0, itemId: loungeId, cancellable: false });
    expect(loungeOrder.body.perk.voucherNo).toMatch(/^PK[0-9A-F]{12}$/);

    const address = await bff.call(
      'addMyAddress',
      { body: { name: '王小明', phone: '13812345678', region: '上海市 上海市 浦东新区', detail: '世纪大道 100 号' } },
      { token: c.token },
    );
    const [giftA, giftB] = wins('GIFT');
    const claimed = await bff.call('claimMyDrawPrize', { params: { drawId: giftA.drawId }, body: { addressId: address.body.id } }, { token: c.token });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ state: 'claimed', shipping: { name: '**明', phone: '138****5678' } });
    const order = await bff.call('getMyMallOrder', { params: { id: claimed.body.orderId } }, { token: c.token });
    expect(order.body).toMatchObject({ status: 'awaiting_shipment', prize: true, pricePoints: 0, cancellable: false });
    expect((await bff.call('cancelMyMallOrder', { params: { id: claimed.body.orderId } }, { token: c.token })).body.code).toBe('MALL_ORDER_NOT_CANCELLABLE');
    expect((await bff.call('cancelMallOrder', { params: { id: claimed.body.orderId }, body: { reason: '测试取消' } }, { token: tokens.admin })).body.code).toBe(
      'MALL_ORDER_NOT_CANCELLABLE',
    );

    // Shipped from the draw's back office, it is the mall order that ships.
    const shipped = await bff.call('shipDrawPrize', { params: { drawId: giftA.drawId }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ carrier: '顺丰', trackingNo: 'SF1234567890' });
    expect((await bff.call('getMyMallOrder', { params: { id: claimed.body.orderId } }, { token: c.token })).body).toMatchObject({
      status: 'shipped',
      shipping: { trackingNo: 'SF1234567890' },
    });

    // Shipped from the mall's order list, 我的奖品 says so too.
    const claimedB = await bff.call('claimMyDrawPrize', { params: { drawId: giftB.drawId }, body: { addressId: address.body.id } }, { token: c.token });
    expect((await bff.call('shipMallOrder', { params: { id: claimedB.body.orderId }, body: { carrier: '京东', trackingNo: 'JD998877665' } }, { token: tokens.admin })).status).toBe(
      200,
    );
    const byId = new Map((await prizes()).map((p) => [p.drawId, p]));
    expect(byId.get(giftA.drawId)).toMatchObject({ state: 'shipped', shipping: { trackingNo: 'SF1234567890' } });
    expect(byId.get(giftB.drawId)).toMatchObject({ state: 'shipped', shipping: { carrier: '京东', trackingNo: 'JD998877665' } });
    expect(byId.get(wins('GIFT')[2].drawId)).toMatchObject({ state: 'to_claim', orderId: null });

    const winners = (await bff.call('listDrawWinners', { params: { id }, query: {} }, { token: tokens.admin })).body.items as any[];
    expect(
      winners
        .filter((w) => w.shipped)
        .map((w) => w.drawId)
        .sort(),
    ).toEqual([giftA.drawId, giftB.drawId].sort());
    expect((await walkDrawCheck(bff, tokens.admin, id)).violations).toEqual([]);
    for (const itemId of [cupId, loungeId]) {
      expect((await walkMallCheck(bff, tokens.reviewer, 100, itemId)).violations).toEqual([]);
    }
    // Recovery re-running the approval's effects, or a racing approval's set-aside, takes nothing more from the mall.
    await bff.app.services.capabilities.activities.admin.recover();
    const view = (await bff.app.services.capabilities.activities.repository.findView(id))!;
    await bff.app.services.capabilities.draws.prizes.reserve({ _id: id, liveRevision: null }, view.live!);
    expect([await stockOf(cupId), await stockOf(loungeId)]).toEqual([7, 3]);
  });

  // Issue 26, finding 2: approval read the stock before the draw went live and set aside "up to" what was left.
  test('three draws, each offering the 3 units on sale, approved at once through three processes: one goes live holding all 3, the others are refused and hold none', async () => {
    const cup = physicalItem(3);
    const cupId = await publishEntry(bff, tokens, cup);
    const drafts = await Promise.all([1, 2, 3].map(() => submitted(mallPrizeDraw({ itemCode: cup.code, quantity: 3 }))));
    for (const d of drafts) expect((await d.submit()).status).toBe(200);
    const urls = [bff.url, ...processes.map((p) => p.url)];
    const approvals = await Promise.all(
      drafts.map((d, i) =>
        checkedFetch(`${urls[i]}/api/v1/admin/activities/${d.id}/approve`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.reviewer}`, 'Content-Type': 'application/json' },
          body: '{}',
        }),
      ),
    );
    expect(approvals.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    for (const a of approvals.filter((x) => x.status === 409)) expect(a.body.code).toBe('DRAW_PRIZE_ITEM_UNAVAILABLE');
    const live = drafts[approvals.findIndex((a) => a.status === 200)];
    expect(await stockOf(cupId)).toBe(0);
    for (const d of drafts) {
      expect((await bff.call('getActivity', { params: { id: d.id } }, { token: tokens.admin })).body.state).toBe(d === live ? 'live' : 'pending_review');
    }
    const books = async () => (await walkDrawCheck(bff, tokens.admin, live.id)).violations as string[];
    expect(await books()).toEqual([]);
    expect((await walkMallCheck(bff, tokens.reviewer, 100, cupId)).violations).toEqual([]);
    const c = await customerSession(bff);
    expect((await bff.call('getMyDraw', { params: { id: live.id } }, { token: c.token })).body.prizes[0]).toMatchObject({ code: 'GIFT', quantity: 3, left: 3 });

    // Units set aside that fall short of the published quantity are what the draw's books report.
    const item = await bff.app.services.capabilities.mall.prizes.itemOf(cup.code);
    await bff.app.services.capabilities.mall.prizes.releaseSetAside(item!._id, `draw:${live.id}:GIFT`);
    expect(await books()).toContain('prize GIFT: 3 published, 0 units set aside');
  }, 60_000);

  test('a crash after the units are set aside and before the approval is recorded: the sweep gives them back, and the draw can be approved later', async () => {
    const cup = physicalItem(2);
    const cupId = await publishEntry(bff, tokens, cup);
    const draft = await submitted(mallPrizeDraw({ itemCode: cup.code, quantity: 2 }));
    expect((await draft.submit()).status).toBe(200);
    faults.arm('after:review.prepared', 'crash');
    expect((await bff.call('approveActivity', { params: { id: draft.id }, body: {} }, { token: tokens.reviewer })).status).toBe(500);
    expect(await stockOf(cupId)).toBe(0);
    expect((await bff.call('getActivity', { params: { id: draft.id } }, { token: tokens.admin })).body.state).toBe('pending_review');
    bff.clock.advance(61_000);
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    expect(await bff.app.services.capabilities.activities.admin.recover()).toBe(1);
    expect(await stockOf(cupId)).toBe(2);
    expect((await bff.call('approveActivity', { params: { id: draft.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect(await stockOf(cupId)).toBe(0);
    expect((await walkDrawCheck(bff, tokens.admin, draft.id)).violations).toEqual([]);
    expect((await walkMallCheck(bff, tokens.reviewer, 100, cupId)).violations).toEqual([]);
  });
});
