import { randomBytes, randomUUID } from 'node:crypto';
import { startBff, testConfig, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { checkedFetch } from '../helpers/contract';
import { seedDemo, seedDemoBank, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { drainFeed, publishFeed } from '../helpers/feed';
import { armedFaults } from '../helpers/faults';
import { settledTo } from '../helpers/settled';
import { createStaffAccount } from '../helpers/staff';
import { BANK_HEADERS } from '../../shared/signed-requests';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { EventName } from '../../shared/events';

/**
 * 商机 (issue 31): a reviewed rule turns a customer's event into a lead for their manager, once per
 * rule, customer and window over any number of processes, never for a customer who opted out of
 * personalised marketing or has not agreed to the policy in force; a lead not followed up within its
 * SLA goes to the branch, seen by that branch's admins and no other branch's.
 */
const dbName = uniqueDbName('leads');
let bff: TestBff;
const faults = armedFaults();
type Session = { id: string; token: string; openid: string };
type Lead = { id: string; ruleId: string; customerId: string; customerName: string; why: string; status: string; slaState: string; dueAt: string; followUp: unknown };

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const rm2 = { username: `rm_${randomBytes(4).toString('hex')}`, password: 'Leads#2026a', id: '' };
const gzAdmin = { username: `gz_${randomBytes(4).toString('hex')}`, password: 'Leads#2026b' };

/** Staff sessions last 15 minutes and these tests move the clock by hours: a fresh one each time. */
const token = {
  admin: () => staffToken(bff, 'admin'),
  reviewer: () => staffToken(bff, 'reviewer'),
  branch: () => staffToken(bff, 'admin-sh'),
  rm: () => staffToken(bff, 'rm'),
  rm2: () => staffToken(bff, rm2.username, rm2.password),
  gz: () => staffToken(bff, gzAdmin.username, gzAdmin.password),
};

beforeAll(async () => {
  bff = await startBff('leads', { dbName, faults });
  await seedDemo(bff);
  rm2.id = await createStaffAccount(bff, { username: rm2.username, password: rm2.password, role: 'rm', orgUnitId: 'org-sh', name: '刘经理' });
  await createStaffAccount(bff, { username: gzAdmin.username, password: gzAdmin.password, role: 'admin', orgUnitId: 'org-gz', name: '周广' });
});
afterAll(async () => {
  // Named so the spawned processes share it, so not dropped by stop(): dropped here.
  await bff?.db.dropDatabase().catch(() => undefined);
  await bff?.stop();
});

function ruleInput(overrides: Record<string, unknown> = {}) {
  return {
    code: `LEAD-${randomUUID().slice(0, 8)}`,
    type: 'lead_rule',
    orgUnitId: 'org-hq',
    name: '存款到期跟进',
    suggestion: '客户存款即将到期，电话联系了解续存意向，介绍本行定期存款产品',
    event: { source: 'bank', name: 'deposit_maturing' },
    conditions: [{ field: 'amountYuan', op: 'gte', value: 10_000 }],
    windowDays: 30,
    slaHours: 24,
    schedule: { startAt: iso(-HOUR), endAt: iso(60 * DAY) },
    ...overrides,
  };
}

async function publishRule(input: Record<string, unknown>): Promise<string> {
  const admin = await token.admin();
  const created = await bff.call('createLeadRule', { body: input as never }, { token: admin });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  expect((await bff.call('submitLeadRule', { params: { id: created.body.id } }, { token: admin })).status).toBe(200);
  // The maker cannot approve their own rule.
  expect((await bff.call('approveLeadRule', { params: { id: created.body.id }, body: {} }, { token: admin })).status).toBe(403);
  const approved = await bff.call('approveLeadRule', { params: { id: created.body.id }, body: {} }, { token: await token.reviewer() });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
  return created.body.id;
}

/** A customer who arrived through the manager's poster: theirs from then on. */
async function customerOf(rmToken: string): Promise<Session> {
  const poster = await bff.call('getMyPoster', undefined, { token: rmToken });
  expect(poster.status).toBe(200);
  bff.clock.advance(1);
  const c = await customerSession(bff);
  expect((await bff.call('recordArrival', { body: { scene: poster.body.scene } }, { token: c.token })).body.attributed).toBe(true);
  return c;
}

const report = (c: { id: string }, kind: string, amountYuan: number, occurredAt = iso(0)) =>
  bankRequest(bff, '/bank/conversions', { eventId: `${kind}-${randomUUID()}`, kind, occurredAt, customerId: c.id, amountYuan });

async function myLeads(rmToken: string, filter: { ruleId?: string; customerId?: string } = {}): Promise<Lead[]> {
  const res = await bff.call('listMyLeads', { query: { limit: '50' } }, { token: rmToken });
  expect(res.status).toBe(200);
  return (res.body.items as Lead[]).filter((l) => (!filter.ruleId || l.ruleId === filter.ruleId) && (!filter.customerId || l.customerId === filter.customerId));
}
const reacted = () => drainFeed(bff);

describe('a lead is made once per rule, customer and window, across processes', () => {
  let a: BffProcess;
  let b: BffProcess;
  let ruleId: string;
  const env = { SWEEP_INTERVAL_MS: '500' };

  beforeAll(async () => {
    ruleId = await publishRule(ruleInput({ name: '大额存款到期' }));
    // Started after the rule went live, so each sees it at once.
    [a, b] = await Promise.all([spawnBff(dbName, env), spawnBff(dbName, env)]);
  }, SPAWN_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all([a, b].map((p) => p?.exited));
    // A queue's lease a process held when it stopped runs out by the clock: the tests after this one move ours past it.
    bff.clock.set(new Date(Math.max(Date.now(), bff.clock.now().getTime()) + 5 * 60_000));
  });

  /** The bank's report, signed as the bank signs, sent to one process. */
  async function reportTo(p: BffProcess, body: Record<string, unknown>) {
    const raw = JSON.stringify(body);
    const path = '/api/v1/bank/conversions';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const signature = signBankRequest(testConfig().bankSystemsSecret, { method: 'POST', path, timestamp, nonce, body: raw });
    return checkedFetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [BANK_HEADERS.timestamp]: timestamp, [BANK_HEADERS.nonce]: nonce, [BANK_HEADERS.signature]: signature },
      body: raw,
    });
  }
  const maturing = (c: Session, eventId = `dm-${randomUUID()}`) => ({
    eventId,
    kind: 'deposit_maturing',
    occurredAt: new Date().toISOString(),
    customerId: c.id,
    amountYuan: 50_000,
    productCode: 'TD-3Y',
  });

  /** The processes' feed workers make the leads: waits until each customer has one, then a while longer for any second. */
  async function settledLeads(rmToken: string, customers: Session[]): Promise<Lead[][]> {
    const deadline = Date.now() + 60_000;
    let found = await Promise.all(customers.map((c) => myLeads(rmToken, { ruleId, customerId: c.id })));
    while (Date.now() < deadline && found.some((l) => l.length === 0)) {
      await new Promise((r) => setTimeout(r, 250));
      found = await Promise.all(customers.map((c) => myLeads(rmToken, { ruleId, customerId: c.id })));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    return Promise.all(customers.map((c) => myLeads(rmToken, { ruleId, customerId: c.id })));
  }

  test('the same bank report sent to two processes at once, and two different reports at once: one lead each', async () => {
    const rm = await token.rm();
    const [same, different] = [await customerOf(rm), await customerOf(rm)];
    const report = maturing(same);
    const answers = await Promise.all([reportTo(a, report), reportTo(b, report), reportTo(a, maturing(different)), reportTo(b, maturing(different))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const [forSame, forDifferent] = await settledLeads(rm, [same, different]);
    expect(forSame).toHaveLength(1);
    expect(forDifferent).toHaveLength(1);
    expect(forSame[0]).toMatchObject({ status: 'open', slaState: 'within', why: '存款即将到期 TD-3Y ¥50,000', followUp: null });
    expect(forSame[0].customerName).not.toContain(same.openid);
  });

  test('two processes deciding two matching events at the same moment: one lead', async () => {
    const rm = await token.rm();
    const c = await customerOf(rm);
    const other = await startBff('leadsb', { dbName });
    try {
      const event = (id: string) => ({
        id,
        source: 'bank' as const,
        name: 'conversion.deposit_maturing',
        occurredAt: bff.clock.now().toISOString(),
        recordedAt: bff.clock.now().toISOString(),
        customerId: c.id,
        data: { kind: 'deposit_maturing', amountYuan: 80_000, productCode: null, activityId: null },
      });
      const engines = [bff, other].map((p) => p.app.services.capabilities.leads.engine);
      await Promise.all(Array.from({ length: 6 }, (_, i) => engines[i % 2].observe(event(`conversion:race-${c.id}-${i}`))));
      expect(await myLeads(rm, { ruleId, customerId: c.id })).toHaveLength(1);
      // A redelivery of any of them changes nothing.
      await Promise.all(Array.from({ length: 6 }, (_, i) => engines[(i + 1) % 2].observe(event(`conversion:race-${c.id}-${i}`))));
      expect(await myLeads(rm, { ruleId, customerId: c.id })).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});

describe('the window, the conditions and the customer’s choices', () => {
  test('a second event inside the window makes no second lead; after the window it does; below the condition, none', async () => {
    const ruleId = await publishRule(
      ruleInput({ name: '代发工资到账', event: { source: 'bank', name: 'salary_credited' }, conditions: [{ field: 'amountYuan', op: 'gte', value: 5000 }], windowDays: 2 }),
    );
    let rm = await token.rm();
    const [c, small] = [await customerOf(rm), await customerOf(rm)];
    expect((await report(c, 'salary_credited', 8000)).status).toBe(200);
    expect((await report(small, 'salary_credited', 3000)).status).toBe(200);
    await reacted();
    expect(await myLeads(rm, { ruleId, customerId: c.id })).toHaveLength(1);
    expect(await myLeads(rm, { ruleId, customerId: small.id })).toHaveLength(0);

    bff.clock.advance(DAY);
    expect((await report(c, 'salary_credited', 9000)).status).toBe(200);
    await reacted();
    rm = await token.rm();
    expect(await myLeads(rm, { ruleId, customerId: c.id })).toHaveLength(1);

    bff.clock.advance(DAY + HOUR);
    expect((await report(c, 'salary_credited', 9000)).status).toBe(200);
    await reacted();
    rm = await token.rm();
    const leads = await myLeads(rm, { ruleId, customerId: c.id });
    expect(leads).toHaveLength(2);
    expect(leads[0].why).toBe('代发工资入账 ¥9,000');
  });

  test('a customer who switched personalised marketing off, or has not agreed to the policy in force, gets no lead', async () => {
    const ruleId = await publishRule(
      ruleInput({ name: '资金流入跟进', event: { source: 'bank', name: 'aum_change' }, conditions: [{ field: 'amountYuan', op: 'gte', value: 100_000 }] }),
    );
    const rm = await token.rm();
    const [optedOut, withdrawn, plain] = [await customerOf(rm), await customerOf(rm), await customerOf(rm)];
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: optedOut.token })).status).toBe(200);
    expect((await bff.call('requestMyDataDeletion', {}, { token: withdrawn.token })).status).toBe(200);
    for (const c of [optedOut, plain]) expect((await report(c, 'aum_change', 200_000)).status).toBe(200);
    await report(withdrawn, 'aum_change', 200_000);
    await reacted();
    expect(await myLeads(rm, { ruleId, customerId: optedOut.id })).toHaveLength(0);
    expect(await myLeads(rm, { ruleId, customerId: withdrawn.id })).toHaveLength(0);
    expect(await myLeads(rm, { ruleId, customerId: plain.id })).toHaveLength(1);
  });

  test('a rule for another branch’s managers makes no lead for this one’s customers', async () => {
    const ruleId = await publishRule(ruleInput({ name: '广州分行开户跟进', orgUnitId: 'org-gz', event: { source: 'bank', name: 'open_account' }, conditions: [] }));
    const rm = await token.rm();
    const c = await customerOf(rm);
    expect((await bankRequest(bff, '/bank/conversions', { eventId: `oa-${randomUUID()}`, kind: 'open_account', occurredAt: iso(0), customerId: c.id })).status).toBe(200);
    await reacted();
    expect(await myLeads(rm, { ruleId })).toHaveLength(0);
  });

  test('a high-value item viewed twice makes one lead; viewed once, none', async () => {
    const ruleId = await publishRule(
      ruleInput({
        name: '高价值商品多次浏览',
        suggestion: '客户多次浏览金条商品，可介绍本行贵金属业务',
        event: { source: 'app', name: 'click' },
        conditions: [{ field: 'itemId', op: 'eq', value: 'ITEM-GOLD-100G' }],
        repeat: { times: 2, withinDays: 3 },
      }),
    );
    const rm = await token.rm();
    const [twice, once] = [await customerOf(rm), await customerOf(rm)];
    const click = (itemId: string) => ({ id: randomUUID(), type: 'click', clientTime: iso(0), page: 'pages/mall/item', itemId });
    const track = async (c: Session, ...events: ReturnType<typeof click>[]) =>
      expect((await bff.call('trackEvents', { body: { events } }, { token: c.token })).body).toMatchObject({ accepted: events.length });

    const onlyView = click('ITEM-GOLD-100G');
    await track(twice, click('ITEM-GOLD-100G'), click('ITEM-TEA'));
    await track(once, onlyView);
    await reacted();
    expect(await myLeads(rm, { ruleId })).toHaveLength(0);
    // The same event sent again is kept once and counts once; a second view is a second event.
    expect((await bff.call('trackEvents', { body: { events: [onlyView] } }, { token: once.token })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    await track(twice, click('ITEM-GOLD-100G'));
    await reacted();
    const leads = await myLeads(rm, { ruleId });
    expect(leads.map((l) => l.customerId)).toEqual([twice.id]);
    expect(leads[0].why).toBe('点击 商城商品（2 次）');
  });

  test('the manager reads what an app event was about by its title, never its id', async () => {
    const activityId = await publishActivity(bff, { admin: await token.admin(), reviewer: await token.reviewer() }, activityInput(bff, { title: '稳健理财直播周' }));
    const ruleId = await publishRule(
      ruleInput({ name: '理财活动浏览跟进', event: { source: 'app', name: 'page_view' }, conditions: [{ field: 'activityId', op: 'eq', value: activityId }] }),
    );
    const rm = await token.rm();
    const c = await customerOf(rm);
    const viewed = { id: randomUUID(), type: 'page_view', clientTime: iso(0), page: 'pages/activity/detail', activityId };
    expect((await bff.call('trackEvents', { body: { events: [viewed] } }, { token: c.token })).body).toMatchObject({ accepted: 1 });
    await reacted();
    expect((await myLeads(rm, { ruleId })).map((l) => l.why)).toEqual(['浏览页面 活动「稳健理财直播周」']);
  });
});

describe('a crash after the decision', () => {
  test('the event coming again finishes the lead; so does the sweep when it does not come again; either way once', async () => {
    const ruleId = await publishRule(ruleInput({ name: '直播观看跟进', event: { source: 'bank', name: 'watch_live' }, conditions: [] }));
    const rm = await token.rm();
    const [redelivered, swept] = [await customerOf(rm), await customerOf(rm)];
    const watched = (c: Session) => bankRequest(bff, '/bank/conversions', { eventId: `wl-${randomUUID()}`, kind: 'watch_live', occurredAt: iso(0), customerId: c.id });

    // Through the feed: its worker dies after the decision; the feed brings the event again, which finds its own lead and finishes it.
    faults.arm('after:lead.decided', 'crash');
    expect((await watched(redelivered)).status).toBe(200);
    expect(await reacted()).toMatchObject({ failed: 1 });
    expect((await myLeads(rm, { ruleId })).map((l) => [l.customerId, l.why])).toEqual([[redelivered.id, '观看直播']]);

    // Decided, then the process dies and the event is not seen again: the sweep finishes it from the decision, past the marker's lease.
    const event = {
      id: `conversion:swept-${swept.id}`,
      source: 'bank' as const,
      name: 'conversion.watch_live',
      occurredAt: iso(0),
      recordedAt: iso(0),
      customerId: swept.id,
      data: { kind: 'watch_live', activityId: null, productCode: null, amountYuan: null },
    };
    const engine = bff.app.services.capabilities.leads.engine;
    faults.arm('after:lead.decided', 'crash');
    await expect(engine.observe(event)).rejects.toThrow('crash at after:lead.decided');
    expect(await myLeads(rm, { ruleId, customerId: swept.id })).toEqual([]);
    expect(await bff.db.collection('lead_pending').countDocuments({})).toBe(1);
    await bff.app.services.maintenance.runOnce();
    expect(await bff.db.collection('lead_pending').countDocuments({})).toBe(1);
    bff.clock.advance(61_000);
    expect((await bff.app.services.maintenance.runOnce())['leads.pending']).toMatchObject({ finished: 1, failed: 0 });
    expect(await bff.db.collection('lead_pending').countDocuments({})).toBe(0);
    await engine.observe(event);

    const leads = await myLeads(await token.rm(), { ruleId });
    expect(leads.map((l) => l.customerId).sort()).toEqual([redelivered.id, swept.id].sort());
    expect(await bff.db.collection('outbox_events').countDocuments({ name: EventName.LEAD_CREATED, 'payload.ruleId': ruleId })).toBe(2);
    expect(await bff.db.collection('lead_open').countDocuments({ ruleId })).toBe(2);
  });
});

describe('following up, the SLA and who sees what', () => {
  test('escalated once after the SLA (fake clock), seen by the branch’s admin and no other branch’s; a follow-up in time is not escalated', async () => {
    const ruleId = await publishRule(ruleInput({ name: '到期存款两小时跟进', event: { source: 'bank', name: 'product_bought' }, conditions: [], slaHours: 2 }));
    let rm = await token.rm();
    let other = await token.rm2();
    const [late, prompt, optedLater] = [await customerOf(rm), await customerOf(rm), await customerOf(rm)];
    const theirs = await customerOf(other);
    for (const c of [late, prompt, optedLater, theirs]) expect((await report(c, 'product_bought', 20_000)).status).toBe(200);
    await reacted();

    // A manager sees only their own leads.
    const mine = await myLeads(rm, { ruleId });
    expect(mine.map((l) => l.customerId).sort()).toEqual([late.id, prompt.id, optedLater.id].sort());
    const otherLeads = await myLeads(other, { ruleId });
    expect(otherLeads.map((l) => l.customerId)).toEqual([theirs.id]);
    const leadOf = (c: Session) => mine.find((l) => l.customerId === c.id)!;

    // Another manager's lead is not found; a note with a mobile number is refused; a follow-up is recorded once.
    const followUp = (t: string, id: string, body: Record<string, unknown>) => bff.call('followUpMyLead', { params: { id }, body: body as never }, { token: t });
    expect((await followUp(other, leadOf(prompt).id, { method: 'call', outcome: 'interested' })).status).toBe(404);
    const withPhone = await followUp(rm, leadOf(prompt).id, { method: 'call', outcome: 'interested', note: '客户手机 13912345678 已联系' });
    expect(withPhone.status).toBe(422);
    const done = await followUp(rm, leadOf(prompt).id, { method: 'wecom', outcome: 'appointment', note: '已约周五到网点面谈' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'followed_up', slaState: 'met', followUp: { method: 'wecom', outcome: 'appointment', withinSla: true } });
    const again = await followUp(rm, leadOf(prompt).id, { method: 'call', outcome: 'no_need' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('LEAD_ALREADY_FOLLOWED_UP');

    // Meanwhile one customer switches personalised marketing off.
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: optedLater.token })).status).toBe(200);

    bff.clock.advance(2 * HOUR + 60_000);
    const first = await bff.app.services.maintenance.runOnce();
    // (Leads of the tests before, whose SLA the clock has also passed, go the same way.)
    expect(first['leads.sla']).toMatchObject({ failed: 0 });
    const second = await bff.app.services.maintenance.runOnce();
    expect(second['leads.sla']).toMatchObject({ escalated: 0, closed: 0 });

    rm = await token.rm();
    other = await token.rm2();
    const after = await myLeads(rm, { ruleId });
    const statusOf = (c: Session) => after.find((l) => l.customerId === c.id)!;
    expect(statusOf(late)).toMatchObject({ status: 'escalated', slaState: 'overdue' });
    expect(statusOf(prompt)).toMatchObject({ status: 'followed_up', slaState: 'met' });
    expect(statusOf(optedLater)).toMatchObject({ status: 'closed', slaState: 'closed', closedReason: 'opted_out' });
    expect((await myLeads(other, { ruleId }))[0]).toMatchObject({ status: 'escalated' });
    // A closed lead takes no follow-up.
    const closed = await followUp(rm, statusOf(optedLater).id, { method: 'call', outcome: 'interested' });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('LEAD_CLOSED');
    // Escalated once: one event each, however many sweeps ran.
    const escalations = await bff.db.collection('outbox_events').find({ name: EventName.LEAD_ESCALATED, 'payload.ruleId': ruleId }).toArray();
    expect(escalations.map((e) => e.payload.leadId).sort()).toEqual([statusOf(late).id, (await myLeads(other, { ruleId }))[0].id].sort());
    const followed = await bff.db.collection('outbox_events').find({ name: EventName.LEAD_FOLLOWED_UP, 'payload.ruleId': ruleId }).toArray();
    expect(followed.map((e) => e.payload)).toEqual([expect.objectContaining({ leadId: statusOf(prompt).id, outcome: 'appointment', withinSla: true })]);

    // The Shanghai admin sees the escalated leads of their branch; Guangzhou's admin sees none and may not ask for Shanghai's.
    const list = async (t: string, query: Record<string, string> = {}) => bff.call('listLeads', { query: { ...query, limit: '100' } as never }, { token: t });
    const branch = await list(await token.branch(), { status: 'escalated' });
    expect(branch.status).toBe(200);
    const escalatedHere = (branch.body.items as (Lead & { rmName: string; unitName: string })[]).filter((l) => l.ruleId === ruleId);
    expect(escalatedHere.map((l) => l.customerId).sort()).toEqual([late.id, theirs.id].sort());
    expect(escalatedHere.find((l) => l.customerId === late.id)).toMatchObject({ rmName: '**理', unitName: '示例银行上海分行', slaState: 'overdue' });
    const byManager = await list(await token.branch(), { rmId: rm2.id });
    expect((byManager.body.items as Lead[]).filter((l) => l.ruleId === ruleId).map((l) => l.customerId)).toEqual([theirs.id]);
    const gz = await token.gz();
    expect(((await list(gz)).body.items as Lead[]).filter((l) => l.ruleId === ruleId)).toEqual([]);
    expect((await list(gz, { unitId: 'org-sh' })).status).toBe(403);
    const hq = await list(await token.admin());
    expect((hq.body.items as Lead[]).filter((l) => l.ruleId === ruleId)).toHaveLength(4);
  });
});

describe('the admin list filtered by status', () => {
  test('reads past a long history a slice at a time: a short page still says where the next starts; leads made at one moment are neither skipped nor repeated', async () => {
    const gz = await token.gz();
    const ruleId = `rule-history-${randomUUID()}`;
    // Three leads to each moment, so moments straddle the slices the BFF reads and the pages it answers.
    const at = (i: number) => new Date(bff.clock.now().getTime() - (Math.floor(i / 3) + 1) * 60_000);
    const docs = Array.from({ length: 2_100 }, (_, i) => ({
      _id: `lead-history-${ruleId}-${String(i).padStart(4, '0')}`,
      ruleId,
      ruleName: '历史商机',
      suggestion: '电话回访',
      customerId: `c-history-${i}`,
      rmId: 'rm-history',
      unitId: 'org-gz',
      eventId: `e-${i}`,
      eventAt: at(i),
      why: '代发工资入账',
      createdAt: at(i),
      dueAt: at(i),
    }));
    await bff.db.collection('leads').insertMany(docs as never[]);
    const followed = [498, 499, 500, 501, 2_097, 2_098, 2_099].map((i) => docs[i]._id);
    await bff.db
      .collection('lead_settled')
      .insertMany(
        followed.map((_id) => ({ _id, kind: 'followed_up', rmId: 'rm-history', method: 'call', outcome: 'interested', note: null, at: at(0), withinSla: false })) as never[],
      );
    let before: string | undefined;
    const found: string[] = [];
    const shortPages: number[] = [];
    for (let pages = 0; pages < 30; pages++) {
      const res = await bff.call('listLeads', { query: { status: 'followed_up', limit: '2', ...(before ? { before } : {}) } as never }, { token: gz });
      expect(res.status).toBe(200);
      // (Only this history's leads: the branch may have others from the tests before.)
      const mine = (res.body.items as Lead[]).map((l) => l.id).filter((id) => id.startsWith(`lead-history-${ruleId}`));
      found.push(...mine);
      if (res.body.items.length < 2) shortPages.push(res.body.items.length);
      before = res.body.nextBefore ?? undefined;
      if (!before) break;
    }
    // Newest first, each once, the oldest reached; a bounded read came back short and said where to go on.
    const newestFirst = [...followed].sort((a, b) => {
      const [x, y] = [docs.find((d) => d._id === a)!, docs.find((d) => d._id === b)!];
      return y.createdAt.getTime() - x.createdAt.getTime() || (a < b ? 1 : -1);
    });
    expect(found).toEqual(newestFirst);
    expect(before).toBeUndefined();
    expect(shortPages.length).toBeGreaterThan(0);
    // A cursor that is not one the list gave is refused, never a failed query.
    for (const bad of ['2026-12-06', '2026-13-01T00:00:00.000Z|lead-x', `${new Date().toISOString()}|lead x`]) {
      const res = await bff.call('listLeads', { query: { status: 'followed_up', before: bad } as never }, { token: gz });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});

describe('a hand-over', () => {
  test('takes the customer’s open leads to the taking manager with a full SLA, once, across a crash; not a lead followed up, nor one of a customer who opted out', async () => {
    // An event no other rule of these tests listens to.
    const ruleId = await publishRule(ruleInput({ name: '首次服务跟进', event: { source: 'bank', name: 'first_service' }, conditions: [], slaHours: 24 }));
    const manager = async (name: string) => {
      const username = `ho_${randomBytes(4).toString('hex')}`;
      const id = await createStaffAccount(bff, { username, password: 'Leads#2026c', role: 'rm', orgUnitId: 'org-sh', name });
      return { id, token: () => staffToken(bff, username, 'Leads#2026c') };
    };
    const [leaving, taking] = [await manager('张离职'), await manager('李接手')];
    const [open, followed, optedOut] = [await customerOf(await leaving.token()), await customerOf(await leaving.token()), await customerOf(await leaving.token())];
    for (const c of [open, followed, optedOut]) expect((await report(c, 'first_service', 0)).status).toBe(200);
    await reacted();
    const before = await myLeads(await leaving.token(), { ruleId });
    expect(before).toHaveLength(3);
    const leadOf = (c: Session) => before.find((l) => l.customerId === c.id)!;
    const followUp = async (t: string, id: string) => bff.call('followUpMyLead', { params: { id }, body: { method: 'call', outcome: 'interested' } }, { token: t });
    expect((await followUp(await leaving.token(), leadOf(followed).id)).status).toBe(200);
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: optedOut.token })).status).toBe(200);
    bff.clock.advance(3 * HOUR);

    // The run dies right after closing the first lead, before passing it on; resumed, it finishes.
    faults.arm('after:lead.closed', 'crash');
    const admin = await token.admin();
    const requested = await bff.call(
      'requestHandover',
      { body: { fromRmId: leaving.id, toRmId: taking.id, customerIds: [open.id, followed.id, optedOut.id], reason: '客户经理离职' } },
      { token: admin },
    );
    expect(requested.status).toBe(201);
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: await token.reviewer() })).status).toBe(200);
    const handovers = bff.app.services.capabilities.referrals.handovers;
    const runOpen = async () => (await bff.db.collection('rm_handover_open').countDocuments({ _id: requested.body.id } as never)) === 1;
    for (let i = 0; i < 200 && (await runOpen()); i++) {
      await new Promise((r) => setTimeout(r, 100));
      // (The crash may land in the approval's own run or in a resumed one: either leaves the run to resume.)
      await handovers.recover().catch(() => undefined);
    }
    expect(await runOpen()).toBe(false);
    expect(() => faults.hit('after:lead.closed')).not.toThrow(); // the crash happened
    expect((await bff.call('getHandover', { params: { id: requested.body.id } }, { token: admin })).body.run).toEqual({ state: 'done', total: 3, moved: 3, skipped: 0 });
    await handovers.recover();
    await bff.app.services.maintenance.runOnce();

    // The taking manager has the open lead, due a full SLA from the hand-over, and nothing else.
    const taken = await myLeads(await taking.token(), { ruleId });
    expect(taken.map((l) => l.customerId)).toEqual([open.id]);
    expect(taken[0]).toMatchObject({ status: 'open', slaState: 'within', dueAt: iso(24 * HOUR), why: leadOf(open).why });
    const left = await myLeads(await leaving.token(), { ruleId });
    const stateOf = (c: Session) => left.find((l) => l.customerId === c.id);
    expect(stateOf(open)).toMatchObject({ id: leadOf(open).id, status: 'closed', closedReason: 'handed_over' });
    expect(stateOf(followed)).toMatchObject({ status: 'followed_up' });
    expect(stateOf(optedOut)).toMatchObject({ status: 'closed', closedReason: 'opted_out' });
    // The leaving manager can no longer follow it up; the taking one can, once.
    expect((await followUp(await leaving.token(), leadOf(open).id)).body.code).toBe('LEAD_CLOSED');
    expect((await followUp(await taking.token(), taken[0].id)).body).toMatchObject({ status: 'followed_up', slaState: 'met' });
    // Passed on once, named as the lead its rule made; nothing left open for the SLA sweep to escalate.
    const created = await bff.db.collection('outbox_events').find({ name: EventName.LEAD_CREATED, 'payload.ruleId': ruleId }).toArray();
    expect(created.filter((e) => e.payload.firstLeadId).map((e) => [e.payload.firstLeadId, e.payload.rmId])).toEqual([[leadOf(open).id, taking.id]]);
    expect(created).toHaveLength(4);
    expect(await bff.db.collection('lead_open').countDocuments({ ruleId })).toBe(0);
  });

  test('a lead past its due time stays with the branch it escalates to; the leaving manager’s follow-up and the hand-over never both happen', async () => {
    const ruleId = await publishRule(ruleInput({ name: '开户一小时跟进', event: { source: 'bank', name: 'open_account' }, conditions: [], slaHours: 1 }));
    const username = `ho_${randomBytes(4).toString('hex')}`;
    const takingId = await createStaffAccount(bff, { username, password: 'Leads#2026d', role: 'rm', orgUnitId: 'org-sh', name: '王接手' });
    const rm = await token.rm();
    const [late, racing] = [await customerOf(rm), await customerOf(rm)];
    for (const c of [late, racing]) expect((await report(c, 'open_account', 0)).status).toBe(200);
    await reacted();
    const leads = await myLeads(rm, { ruleId });
    const leadOf = (c: Session) => leads.find((l) => l.customerId === c.id)!;
    const book = bff.app.services.capabilities.leads.book;
    const rmId = 'staff-rm-sh'; // 陈经理 of the demo bank

    // The racing lead: the manager's follow-up and the hand-over at the same moment; exactly one of them settles it.
    const [followUp, passed] = await Promise.all([
      bff.call('followUpMyLead', { params: { id: leadOf(racing).id }, body: { method: 'call', outcome: 'interested' } }, { token: rm }),
      book.handOver({ customerIds: [racing.id], fromRmId: rmId, toRmId: takingId, handoverId: `race-${randomUUID()}` }),
    ]);
    expect([followUp.status === 200, passed === 1].filter(Boolean)).toHaveLength(1);
    if (passed === 1) expect(followUp.body.code).toBe('LEAD_CLOSED');

    // Past due: the hand-over leaves it; the SLA sweep escalates it to the branch, once.
    bff.clock.advance(HOUR + 60_000);
    expect(await book.handOver({ customerIds: [late.id], fromRmId: rmId, toRmId: takingId, handoverId: `late-${randomUUID()}` })).toBe(0);
    await bff.app.services.maintenance.runOnce();
    expect((await myLeads(await token.rm(), { ruleId })).find((l) => l.customerId === late.id)).toMatchObject({ status: 'escalated' });
    expect(await bff.db.collection('lead_open').countDocuments({ ruleId })).toBe(0);
  });

  test('a lead decided just before its customer is handed over, and opened just after, still follows the customer', async () => {
    const ruleId = await publishRule(
      ruleInput({ name: '资产提升回访', event: { source: 'bank', name: 'aum_change' }, conditions: [{ field: 'amountYuan', op: 'gte', value: 1 }], slaHours: 24 }),
    );
    const username = `ho_${randomBytes(4).toString('hex')}`;
    const takingId = await createStaffAccount(bff, { username, password: 'Leads#2026f', role: 'rm', orgUnitId: 'org-sh', name: '吴接手' });
    const c = await customerOf(await token.rm());
    expect((await report(c, 'aum_change', 5)).status).toBe(200);

    // Decided for 陈经理, and the process dies before the lead is open.
    faults.arm('after:lead.decided', 'crash');
    await publishFeed(bff);
    expect((await bff.app.services.capabilities.delivery.feed.runOnce()).failed).toBeGreaterThanOrEqual(1);
    expect(() => faults.hit('after:lead.decided')).not.toThrow(); // the crash happened

    // The customer is handed over meanwhile: the run finds no open lead of theirs to pass on.
    const admin = await token.admin();
    const requested = await bff.call('requestHandover', { body: { fromRmId: 'staff-rm-sh', toRmId: takingId, customerIds: [c.id], reason: '客户经理调岗' } }, { token: admin });
    expect(requested.status).toBe(201);
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: await token.reviewer() })).status).toBe(200);
    const state = async () => (await bff.call('getHandover', { params: { id: requested.body.id } }, { token: admin })).body.run?.state;
    expect(await settledTo(state, 'done', 60_000)).toBe('done');

    // The event comes again and the lead is opened: it goes on to the manager who now serves the customer, once.
    await reacted();
    const taken = await myLeads(await staffToken(bff, username, 'Leads#2026f'), { ruleId });
    expect(taken.map((l) => [l.customerId, l.status])).toEqual([[c.id, 'open']]);
    expect((await myLeads(await token.rm(), { ruleId })).map((l) => [l.customerId, l.status, (l as { closedReason?: string }).closedReason])).toEqual([
      [c.id, 'closed', 'handed_over'],
    ]);
    expect(await bff.db.collection('lead_open').countDocuments({ ruleId })).toBe(1);
  });

  test('a lead that fails to pass on holds up no other: it is counted in the job books and tried again by the resumed run', async () => {
    // An amount below the earlier salary rule's condition: this rule's leads are the customers' only ones.
    const ruleId = await publishRule(ruleInput({ name: '代发客户回访', event: { source: 'bank', name: 'salary_credited' }, conditions: [], slaHours: 24 }));
    const username = `ho_${randomBytes(4).toString('hex')}`;
    const takingId = await createStaffAccount(bff, { username, password: 'Leads#2026e', role: 'rm', orgUnitId: 'org-sh', name: '赵接手' });
    const rm = await token.rm();
    const customers = [await customerOf(rm), await customerOf(rm)];
    for (const c of customers) expect((await report(c, 'salary_credited', 100)).status).toBe(200);
    await reacted();
    const book = bff.app.services.capabilities.leads.book;
    const taken = async () => (await myLeads(await staffToken(bff, username, 'Leads#2026e'), { ruleId })).map((l) => l.customerId).sort();
    const failing = async () => (await bff.app.services.jobBooks.report()).items.filter((i) => i.job === 'leads.handover');

    // The first lead fails right after its closure is recorded; the second is passed on all the same, and the batch is not done.
    faults.arm('after:lead.closed', 'error');
    const move = { customerIds: customers.map((c) => c.id), fromRmId: 'staff-rm-sh', toRmId: takingId, handoverId: `isolated-${randomUUID()}` };
    await expect(book.handOver(move)).rejects.toThrow('1 lead(s) did not follow');
    expect(() => faults.hit('after:lead.closed')).not.toThrow(); // the failure happened
    expect(await taken()).toHaveLength(1);
    expect(await failing()).toEqual([expect.objectContaining({ failures: 1, parked: false, lastError: expect.stringContaining('after:lead.closed') })]);

    // The run, resumed, tells it again: the recorded closure is carried out; both leads are the taker's, once, and the books are clear.
    expect(await book.handOver(move)).toBe(0);
    expect(await taken()).toEqual(customers.map((c) => c.id).sort());
    expect(await failing()).toEqual([]);
    expect(await bff.db.collection('lead_open').countDocuments({ ruleId, rmId: 'staff-rm-sh' })).toBe(0);
  });
});

describe('the demo bank’s leads', () => {
  test('npm start’s rules are live and 陈经理 has 张三’s maturing deposit to follow up, once however often it is seeded', async () => {
    const demo = await startBff('leadsdemo');
    try {
      await seedDemoBank(demo);
      await seedDemoBank(demo);
      const mine = await demo.call('listMyLeads', { query: { limit: '50' } }, { token: await staffToken(demo, 'rm') });
      expect(mine.body.items).toEqual([
        expect.objectContaining({ customerId: 'cust-demo-1', customerName: '*三', ruleName: '定期存款到期跟进', why: '存款即将到期 TD-3Y ¥50,000', status: 'open' }),
      ]);
      const rules = await demo.call('listLeadRules', { query: {} as never }, { token: await staffToken(demo, 'admin') });
      expect(rules.status).toBe(200);
    } finally {
      await demo.stop();
    }
  });
});
