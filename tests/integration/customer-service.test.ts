import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { signIn } from '../helpers/activities';
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
