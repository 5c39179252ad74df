import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('custsvc');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const overview = async (username: string, customerId: string) => bff.request('GET', `/api/v1/admin/customers/${customerId}`, { token: await staffToken(bff, username) });

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
    const audit = await bff.request('GET', '/api/v1/admin/audit?action=customer.viewed&targetId=cust-demo-1', { token: await staffToken(bff, 'admin') });
    expect(audit.body.items.map((a: { actorId: string }) => a.actorId)).toContain('staff-reviewer-hq');
  });

  test('a branch sees its own customers only; a relationship manager and a customer are refused', async () => {
    expect((await overview('admin-sh', 'cust-demo-1')).status).toBe(200);
    expect((await overview('admin-sh', 'cust-demo-2')).status).toBe(404);
    expect((await overview('admin-sh', 'no-such-customer')).status).toBe(404);
    expect((await overview('rm', 'cust-demo-1')).status).toBe(403);
  });
});
