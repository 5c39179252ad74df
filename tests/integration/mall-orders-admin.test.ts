import { parseCsv } from '../../bff/src/platform/csv';
import { startBff, type TestBff } from '../helpers/bff';
import { customerSession } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem } from '../helpers/mall';
import { seedDemo, staffToken } from '../helpers/seed';

let bff: TestBff;
let tokens: { admin: string; reviewer: string; branch: string };
type Order = { id: string; orderNo: string; createdAt: string; status: string; address: { name: string; phone: string; region: string; detail: string } | null };
let cups: Order[];
let lamp: Order;
let cupCode: string;

/** Beijing wall-clock time as the bank writes it: 2026-12-06 09:30:05. */
const beijing = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });

beforeAll(async () => {
  bff = await startBff('mallorders');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer'), branch: await staffToken(bff, 'admin-sh') };
  await publishEntry(bff, tokens, categoryInput());
  const cup = itemInput(bff, { type: 'physical', title: '冬季保温杯', pricePoints: 1200, initialStock: 10, fulfilment: {} });
  cupCode = cup.code;
  const cupId = await publishEntry(bff, tokens, cup);
  const lampId = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', title: '护眼台灯', pricePoints: 800, initialStock: 10, fulfilment: {} }));
  const buyer = await customerSession(bff, { orgUnitId: 'org-gz' });
  await givePoints(bff, buyer.id, 5000);
  const address = (
    await bff.call('addMyAddress', { body: { name: '周九', phone: '13600001234', region: '广东省 广州市 天河区', detail: '体育西路 9 号' } }, { token: buyer.token })
  ).body;
  cups = [(await redeem(bff.url, buyer.token, { itemId: cupId, addressId: address.id })).body, (await redeem(bff.url, buyer.token, { itemId: cupId, addressId: address.id })).body];
  lamp = (await redeem(bff.url, buyer.token, { itemId: lampId, addressId: address.id })).body;
}, 60_000);
afterAll(() => bff.stop());

const list = (query: Record<string, string>, token = tokens.admin) => bff.call('listMallOrders', { query }, { token });
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((o) => o.id).sort();

describe('the back office finds orders (issue 30)', () => {
  test('by 订单编号, by item title or code, by status or every status, and by the days they were placed in Beijing time', async () => {
    const byNumber = await list({ q: cups[1].orderNo });
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toMatchObject({ total: 1, items: [{ id: cups[1].id, orderNo: cups[1].orderNo, createdAt: cups[1].createdAt }] });
    // The full address, to ship it.
    expect(byNumber.body.items[0].address).toEqual({ name: '周九', phone: '13600001234', region: '广东省 广州市 天河区', detail: '体育西路 9 号' });

    expect(ids(await list({ q: '保温' }))).toEqual(cups.map((o) => o.id).sort());
    expect(ids(await list({ q: cupCode }))).toEqual(cups.map((o) => o.id).sort());
    expect(ids(await list({ q: '台灯', status: 'shipped' }))).toEqual([]);
    expect(ids(await list({ q: '台灯' }))).toEqual([lamp.id]);

    const today = beijing(lamp.createdAt).slice(0, 10);
    const tomorrow = beijing(new Date(Date.parse(lamp.createdAt) + 86_400_000).toISOString()).slice(0, 10);
    expect((await list({ q: '保温', from: today, to: today })).body.total).toBe(2);
    expect((await list({ q: '保温', from: tomorrow })).body.total).toBe(0);
    expect((await list({ q: cups[0].orderNo, from: tomorrow })).body.total).toBe(0);
    const backwards = await list({ from: tomorrow, to: today });
    expect(backwards.status).toBe(422);
    expect(JSON.stringify(backwards.body)).toContain('开始日期不能晚于结束日期');

    // A branch admin outside the item's unit finds nothing by its number.
    expect((await list({ q: cups[0].orderNo }, tokens.branch)).body).toMatchObject({ total: 0, items: [] });
  });

  test('shipped orders show carrier, tracking number and when; full addresses only for who ships, and each such read is audited', async () => {
    const shipped = await bff.call('shipMallOrder', { params: { id: lamp.id }, body: { carrier: '中通快递', trackingNo: 'ZT7788990011' } }, { token: tokens.admin });
    expect(shipped.status).toBe(200);
    const page = await list({ status: 'shipped', q: '台灯' });
    expect(page.body.items).toEqual([
      expect.objectContaining({
        id: lamp.id,
        status: 'shipped',
        shipping: expect.objectContaining({ carrier: '中通快递', trackingNo: 'ZT7788990011' }),
        shippedAt: expect.any(String),
      }),
    ]);

    const reviewerView = await list({ q: '台灯' }, tokens.reviewer);
    expect(reviewerView.body.items[0].address).toMatchObject({ name: '*九', phone: '136****1234', region: '广东省 广州市 天河区' });
    const audit = await bff.call('listAuditRecords', { query: { action: 'mall_orders.addresses_viewed' } }, { token: tokens.admin });
    const readers = audit.body.items.map((a: { actorId: string }) => a.actorId);
    expect(readers).toContain('staff-admin-hq');
    expect(readers).not.toContain('staff-reviewer-hq');
    expect(JSON.stringify(audit.body.items)).toContain(lamp.id);
  });

  test('the list exports as one CSV table: Beijing time, points as numbers, name and phone masked, the export audited', async () => {
    const csv = await bff.call('exportMallOrders', { query: { q: cupCode } }, { token: tokens.admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = String(csv.body);
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['订单编号', '下单时间', '商品编码', '商品', '积分', '状态', '客户编号', '收货人', '手机号', '所在地区', '详细地址', '快递公司', '运单号', '发货时间']);
    expect(rows.map((r) => r[0]).sort()).toEqual(cups.map((o) => o.orderNo).sort());
    const row = rows.find((r) => r[0] === cups[0].orderNo)!;
    expect(row).toEqual([
      cups[0].orderNo,
      beijing(cups[0].createdAt),
      cupCode,
      '冬季保温杯',
      '1200',
      '待发货',
      expect.any(String),
      '*九',
      '136****1234',
      '广东省 广州市 天河区',
      '体育西路 9 号',
      '',
      '',
      '',
    ]);
    expect(text).not.toContain('13600001234');
    expect(text).not.toContain('周九');

    const branch = await bff.call('exportMallOrders', { query: { q: cupCode } }, { token: tokens.branch });
    expect(parseCsv(String(branch.body).replace(/^\uFEFF/, ''))).toHaveLength(1);
    const audit = await bff.call('listAuditRecords', { query: { action: 'mall_orders.exported' } }, { token: tokens.admin });
    expect(audit.body.items.map((a: { actorId: string }) => a.actorId)).toEqual(expect.arrayContaining(['staff-admin-hq', 'staff-admin-sh']));
  });
});
