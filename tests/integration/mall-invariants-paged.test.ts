import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes, walkMallCheck } from '../helpers/mall';

const dbName = uniqueDbName('mallbooks');
let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('mallbooks', { dbName });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  await publishEntry(bff, tokens, categoryInput());
  // Three items, two orders each: the walk below has more orders and stock entries than one page holds.
  for (let i = 0; i < 3; i++) {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 10, initialStock: 5 }));
    await uploadCodes(bff, tokens.admin, id, 5);
    for (let j = 0; j < 2; j++) {
      const c = await customerSession(bff);
      await givePoints(bff, c.id, 10);
      expect((await redeem(bff.url, c.token, { itemId: id })).body).toMatchObject({ status: 'completed' });
    }
  }
}, 120_000);
afterAll(() => bff.stop());

const lastById = async (collection: string, filter: Record<string, unknown> = {}) =>
  (await bff.db.collection(collection).find(filter).sort({ _id: -1 }).limit(1).toArray())[0] as unknown as Record<string, any>;

describe("the whole mall's books, a page at a time", () => {
  test('a clean mall: every order and item checked, and complete only on the last page', async () => {
    const walked = await walkMallCheck(bff, tokens.reviewer, 2);
    expect(walked.violations).toEqual([]);
    expect(walked.orders).toBe(await bff.db.collection('mall_orders').countDocuments());
    expect(walked.orders).toBeGreaterThanOrEqual(6);
    expect(walked.items).toBe(walked.pages[0].total!.items);
    expect(walked.pages.slice(0, -1).every((p) => !p.complete && p.next !== null)).toBe(true);
    expect(walked.pages.every((p) => p.checked.orders <= 2 && p.checked.stockEntries <= 2)).toBe(true);
    // The totals are counted once, when the check starts.
    expect(walked.pages.slice(1).every((p) => p.total === null)).toBe(true);
  });

  test('an order and a stock entry broken on later pages are each found there, and the check completes after them', async () => {
    // The order last in `_id` order says it failed, while it still holds its unit and its points were never given back.
    const order = await lastById('mall_orders');
    await bff.db.collection('mall_orders').updateOne({ _id: order._id }, { $set: { status: 'failed' } });
    // The item last in `_id` order gets a stock entry whose level does not follow from the one before it.
    const item = await lastById('mall_catalogue', { type: { $ne: 'category' } });
    const stream = `stock:${item._id}`;
    const head = await lastById('mall_stock', { stream });
    const seq = head.seq + 1;
    await bff.db.collection('mall_stock').insertOne({
      _id: `${stream}#${seq}` as never,
      stream,
      seq,
      key: `tampered:${item._id}`,
      at: new Date(),
      data: { ...head.data, op: 'adjust', change: 0, stock: head.data.stock + 3, adjusted: head.data.adjusted + 3, ref: 'tampered' },
    });

    try {
      const walked = await walkMallCheck(bff, tokens.reviewer, 2);
      const orderProblems = [`order ${order._id} (failed) still holds a unit`, `order ${order._id} (failed) debited but not refunded`];
      const stockProblem = `${stream}#${seq}: stock ${head.data.stock + 3}, but ${head.data.stock} before and a change of 0`;
      expect(walked.violations).toEqual([...orderProblems, stockProblem]);
      const foundOn = (problem: string) => walked.pages.findIndex((p) => p.violations.includes(problem));
      // Neither is on the first page, and neither page is the last: a first page alone would have said nothing was wrong.
      expect(foundOn(orderProblems[0])).toBeGreaterThan(0);
      expect(foundOn(stockProblem)).toBeGreaterThan(foundOn(orderProblems[0]));
      expect(walked.pages[0]).toMatchObject({ violations: [], complete: false });
      expect(walked.pages.findIndex((p) => p.complete)).toBe(walked.pages.length - 1);
      // The check of one item, a page at a time as well, finds what the walk found in it.
      const one = await walkMallCheck(bff, tokens.reviewer, 2, item._id);
      expect(one.items).toBe(1);
      expect(one.violations).toEqual([...(order.itemId === item._id ? orderProblems : []), stockProblem]);
      const ofOrder = await walkMallCheck(bff, tokens.reviewer, 2, order.itemId);
      expect(ofOrder.violations).toEqual(expect.arrayContaining(orderProblems));
    } finally {
      await bff.db.collection('mall_orders').updateOne({ _id: order._id }, { $set: { status: order.status } });
      await bff.db.collection('mall_stock').deleteOne({ _id: `${stream}#${seq}` as never });
    }
  });

  test('a cursor that is not one the check gave is refused, not read as the start', async () => {
    const refused = async (query: Record<string, string>) => {
      const res = await bff.call('checkMallInvariants', { query }, { token: tokens.reviewer });
      expect(res.status).toBe(422);
      expect(res.body.issues).toEqual([{ path: 'query.cursor', message: '核对游标无效，请从头开始核对' }]);
    };
    await refused({ cursor: 'bm90LWEtY3Vyc29y' });
    // One item's check does not go on into another item.
    const item = await lastById('mall_catalogue', { type: { $ne: 'category' } });
    const other = Buffer.from(JSON.stringify({ items: `${item._id}-other`, at: { k: 0, seq: 0 } })).toString('base64url');
    await refused({ itemId: item._id, cursor: other });
  });
});
