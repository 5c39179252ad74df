import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, signIn } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes } from '../helpers/mall';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('custsvc');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const overview = async (username: string, customerId: string) => bff.call('getCustomerOverview', { params: { id: customerId } }, { token: await staffToken(bff, username) });

describe('GET /api/v1/admin/customers/:id (客户服务)', () => {
  test('head office sees a customer masked, with points, orders and prizes; the lookup is audited', async () => {
    const res = await overview('reviewer', 'cust-demo-1');
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ id: 'cust-demo-1', maskedName: '*三', maskedPhone: expect.stringMatching(/^138\*+5678$/) });
    expect(JSON.stringify(res.body)).not.toMatch(/13812345678|张三|310101199001011234/);
    expect(res.body.points).toHaveProperty('balance');
    expect(res.body.ledger.items).toEqual(expect.any(Array));
    expect(res.body.orders.items).toEqual(expect.any(Array));
    expect(res.body.prizes.items).toEqual(expect.any(Array));
    const audit = await bff.call('listAuditRecords', { query: { action: 'customer.viewed', targetId: 'cust-demo-1' } }, { token: await staffToken(bff, 'admin') });
    expect(audit.body.items.map((a: { actorId: string }) => a.actorId)).toContain('staff-reviewer-hq');
  });

  test('a branch sees its own customers only; a relationship manager and a customer are refused', async () => {
    expect((await overview('admin-sh', 'cust-demo-1')).status).toBe(200);
    expect((await overview('admin-sh', 'cust-demo-2')).status).toBe(404);
    expect((await overview('admin-sh', 'no-such-customer')).status).toBe(404);
    expect((await overview('rm', 'cust-demo-1')).status).toBe(403);
  });

  test('staff see what an order is, never its coupon code or voucher number (issue 26, finding 23)', async () => {
    const staff = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    await publishEntry(bff, staff, categoryInput());
    const couponItem = await publishEntry(bff, staff, itemInput(bff, { pricePoints: 10, initialStock: 5 }));
    await uploadCodes(bff, staff.admin, couponItem, 5);
    const perkItem = await publishEntry(
      bff,
      staff,
      itemInput(bff, { type: 'perk', title: '机场贵宾厅', pricePoints: 10, initialStock: 5, fulfilment: { instructions: '到店出示' } }),
    );
    const customer = await signIn(bff, 'o_demo_customer_01');
    await givePoints(bff, customer.id, 20);
    const coupon = await redeem(bff.url, customer.token, { itemId: couponItem });
    const perk = await redeem(bff.url, customer.token, { itemId: perkItem });
    const code: string = coupon.body.coupon.code;
    const voucherNo: string = perk.body.perk.voucherNo;
    expect(code).toEqual(expect.any(String));
    expect(voucherNo).toEqual(expect.any(String));

    const res = await overview('reviewer', customer.id);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(code);
    expect(text).not.toContain(voucherNo);
    const orders = res.body.orders.items as { id: string; coupon: unknown; perk: unknown }[];
    expect(orders.find((o) => o.id === coupon.body.id)).toMatchObject({ coupon: { name: expect.any(String), validUntil: expect.any(String) } });
    expect(orders.find((o) => o.id === perk.body.id)).toMatchObject({ perk: { instructions: '到店出示' } });
  });

  test('a refused lookup is in the audit trail too (issue 26, finding 23)', async () => {
    expect((await overview('admin-sh', 'cust-demo-2')).status).toBe(404);
    expect((await overview('admin-sh', 'no-such-customer')).status).toBe(404);
    const audit = await bff.call('listAuditRecords', { query: { action: 'customer.view_refused' } }, { token: await staffToken(bff, 'admin') });
    const refused = audit.body.items as { actorId: string; targetId: string }[];
    expect(refused.map((a) => a.targetId)).toEqual(expect.arrayContaining(['cust-demo-2', 'no-such-customer']));
    expect(refused.every((a) => a.actorId === 'staff-admin-sh')).toBe(true);
  });
});

describe('GET /api/v1/admin/customers?q= (客户服务: finding a customer, issue 30)', () => {
  const search = async (username: string, q: string) => bff.call('searchCustomers', { query: { q } }, { token: await staffToken(bff, username) });
  const zhangSan = { id: 'cust-demo-1', customerNo: 'C000000000001', maskedName: '*三', maskedPhone: '138****5678', maskedNickname: '*张', orgUnitName: '示例银行上海分行' };

  test('by phone, by the 客户号 shown on 我的, or by nickname; the result masked, every lookup audited without the number', async () => {
    const byPhone = await search('reviewer', '138 1234 5678');
    expect(byPhone.status).toBe(200);
    expect(byPhone.body).toEqual({ by: 'phone', items: [zhangSan] });
    expect(JSON.stringify(byPhone.body)).not.toMatch(/13812345678|张三|小张/);
    expect((await search('reviewer', 'c000000000001')).body).toEqual({ by: 'customerNo', items: [zhangSan] });
    expect((await search('reviewer', '小张')).body).toEqual({ by: 'nickname', items: [zhangSan] });
    // Part of a nickname finds it too, from two characters on; one character is matched whole.
    const nicknamed = await customerSession(bff);
    await bff.db.collection('customers').updateOne({ _id: nicknamed.id as never }, { $set: { nickname: '理财小能手' } });
    expect((await search('admin', '小能手')).body).toMatchObject({ by: 'nickname', items: [{ id: nicknamed.id, maskedNickname: '****手' }] });
    expect((await search('admin', '张')).body.items).toEqual([]);
    expect((await search('reviewer', 'cust-demo-1')).body).toEqual({ by: 'id', items: [zhangSan] });
    expect((await search('reviewer', '13700000000')).body).toEqual({ by: 'phone', items: [] });

    // A customer who signed in on their own is found by the 客户号 their 我的 page shows.
    const newcomer = await customerSession(bff);
    const { customerNo } = (await bff.call('getMyProfile', {}, { token: newcomer.token })).body;
    expect((await search('reviewer', customerNo)).body.items.map((c: { id: string }) => c.id)).toEqual([newcomer.id]);

    const audit = await bff.call('listAuditRecords', { query: { action: 'customer.searched', actorId: 'staff-reviewer-hq' } }, { token: await staffToken(bff, 'admin') });
    expect(audit.body.items.map((a: { detail: { by: string } }) => a.detail.by)).toEqual(expect.arrayContaining(['phone', 'customerNo', 'nickname', 'id']));
    expect(JSON.stringify(audit.body.items)).toContain('138****5678');
    expect(JSON.stringify(audit.body.items)).not.toContain('13812345678');
  });

  test('a branch admin finds only customers of their subtree; a relationship manager is refused', async () => {
    expect((await search('admin-sh', '13812345678')).body.items.map((c: { id: string }) => c.id)).toEqual(['cust-demo-1']);
    // 李小梅 is served by the Guangzhou branch: to Shanghai she is not there, by any key.
    for (const q of ['13998765432', 'C000000000002', '梅子', 'cust-demo-2']) expect((await search('admin-sh', q)).body.items).toEqual([]);
    expect((await search('rm', '13812345678')).status).toBe(403);
  });
});
