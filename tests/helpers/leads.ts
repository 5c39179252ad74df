import { randomUUID } from 'node:crypto';
import type { TestBff } from './bff';
import { staffToken } from './seed';
import { customerSession } from './activities';
import { bankRequest } from './bank';

const HOUR = 60 * 60 * 1000;

/** A live 商机规则 and one of 陈经理's customers whose deposit is maturing: a lead in 我的商机 (made by the BFF's workers). Returns the customer's id. */
export async function leadForRm(bff: TestBff): Promise<string> {
  const [admin, reviewer, rm] = [await staffToken(bff, 'admin'), await staffToken(bff, 'reviewer'), await staffToken(bff, 'rm')];
  const now = bff.clock.now().getTime();
  const created = await bff.call(
    'createLeadRule',
    {
      body: {
        code: `LEAD-${randomUUID().slice(0, 8)}`,
        type: 'lead_rule',
        orgUnitId: 'org-hq',
        name: '定期存款到期跟进',
        suggestion: '电话了解续存意向，介绍三年期定期存款',
        event: { source: 'bank', name: 'deposit_maturing' },
        conditions: [],
        repeat: { times: 1, withinDays: 7 },
        windowDays: 30,
        slaHours: 24,
        schedule: { startAt: new Date(now - HOUR).toISOString(), endAt: new Date(now + 30 * 24 * HOUR).toISOString() },
      },
    },
    { token: admin },
  );
  expect(created.status).toBe(201);
  expect((await bff.call('submitLeadRule', { params: { id: created.body.id } }, { token: admin })).status).toBe(200);
  expect((await bff.call('approveLeadRule', { params: { id: created.body.id }, body: {} }, { token: reviewer })).status).toBe(200);
  const poster = await bff.call('getMyPoster', undefined, { token: rm });
  bff.clock.advance(1);
  const c = await customerSession(bff);
  expect((await bff.call('recordArrival', { body: { scene: poster.body.scene } }, { token: c.token })).body.attributed).toBe(true);
  const reported = await bankRequest(bff, '/bank/conversions', {
    eventId: `dm-${randomUUID()}`,
    kind: 'deposit_maturing',
    occurredAt: bff.clock.now().toISOString(),
    customerId: c.id,
    amountYuan: 50_000,
  });
  expect(reported.status).toBe(200);
  // The stack's workers make the lead from the event feed.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await bff.call('listMyLeads', { query: { limit: '20' } }, { token: rm })).body.items.length === 0) await new Promise((r) => setTimeout(r, 200));
  return c.id;
}
