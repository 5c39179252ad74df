import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { createStaffAccount } from '../helpers/staff';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { drainFeed } from '../helpers/feed';
import { TEST_WECHAT } from '../helpers/constants';
import { parseCsv } from '../../bff/src/platform/csv';
import { maskName } from '../../shared/masking';
import { CONVERSION_KINDS } from '../../shared/contracts/conversions';
import { PROGRAMME_METRICS } from '../../shared/contracts/programme';

/**
 * 经营看板 on a constructed bank: head office, three branches, six managers (two a branch) and
 * 200 customers (190 consented) who arrive through managers' posters, customers' shares or on
 * their own, browse, take part, bind phones, are reported by the bank, earn, spend and lose
 * points. Every figure is computed here, by hand, from what the test did, and compared.
 */

let bff: TestBff;
const PASSWORD = 'Cockpit@2026';
const HQ = 'org-hq';
const BRANCHES = ['org-sh', 'org-gz', 'org-bj'] as const;
const PERIOD = '2026-12';
// Beijing 10:00 (and some minutes) on each day.
const DEC = (day: number, minutes = 0) => new Date(Date.UTC(2026, 11, day, 2, minutes));
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

type Rm = { id: string; username: string; unit: string; name: string };
type Kind = 'poster' | 'share' | 'organic';
type Event = { type: string; day: 1 | 2; activityId?: string };
type Customer = {
  j: number;
  id: string;
  openid: string;
  token: string;
  kind: Kind;
  rm: string | null;
  unit: string | null;
  events: Event[];
  phone: boolean;
  /** Offered A2 by the trigger (a product bought): their taking part in it is 事件营销's. */
  offered: boolean;
  conversions: { kind: string; amountYuan?: number }[];
  points: { earned: number; spent: number; expired: number; adjusted: number; adjustUp: number };
};

const rms: Rm[] = [];
const customers: Customer[] = [];
const unconsented: { id: string }[] = [];
let A1: string;
let A2: string;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
const token = (username: string, password = PASSWORD) => staffToken(bff, username, username === 'rm' || !rms.some((r) => r.username === username) ? undefined : password);
async function relogin() {
  await inBatches(customers, 20, async (c) => {
    c.token = (await signIn(bff, c.openid, { consent: false })).token;
  });
}
async function track(c: Customer, events: Event[]) {
  const at = (e: Event) => (e.day === 1 ? DEC(9) : DEC(10, 15)).toISOString();
  const body = {
    events: events.map((e) => ({ id: randomUUID(), type: e.type, clientTime: at(e), page: 'pages/index/index', ...(e.activityId ? { activityId: e.activityId } : {}) })),
  };
  const res = await bff.call('trackEvents', { body }, { token: c.token });
  expect(res.body.accepted).toBe(events.length);
  c.events.push(...events);
}
const report = (customerId: string, kind: string, amountYuan?: number) =>
  bankRequest(bff, '/bank/conversions', {
    eventId: `cockpit-${randomUUID()}`,
    kind,
    occurredAt: DEC(10).toISOString(),
    customerId,
    ...(kind === 'product_bought' ? { productCode: 'WM-001' } : {}),
    ...(amountYuan !== undefined ? { amountYuan } : {}),
  });

/** A customer the bank's records put in a branch, under an id no scanner could take for a phone number (a random hex id might). */
const RUN = Date.now().toString(36);
async function customerOf(orgUnitId: string, j: number) {
  const openid = `o_ck${RUN}_${j}`;
  await bff.app.services.customers.upsertWithProfile(
    { id: `cust-ck${RUN}-${j}`, customerNo: `CK${RUN}${j}`, openid, unionid: null, nickname: null, name: null, phone: null, idNumber: null, orgUnitId },
    TEST_WECHAT.appid,
  );
  return signIn(bff, openid);
}

beforeAll(async () => {
  bff = await startBff('cockpit', {
    env: { POINTS_EXPIRY: 'days:1', ACCESS_TOKEN_TTL_SECONDS: '3600', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  bff.clock.set(DEC(9));
  await seedDemo(bff);
  await bff.app.services.org.upsert({ id: 'org-bj', name: '示例银行北京分行', level: 'branch', parentId: HQ });
  rms.push({ id: 'staff-rm-sh', username: 'rm', unit: 'org-sh', name: '陈经理' });
  const more = [
    { username: 'rm.sh2', unit: 'org-sh', name: '林晓东' },
    { username: 'rm.gz1', unit: 'org-gz', name: '黄海波' },
    { username: 'rm.gz2', unit: 'org-gz', name: '何雅琴' },
    { username: 'rm.bj1', unit: 'org-bj', name: '刘建国' },
    { username: 'rm.bj2', unit: 'org-bj', name: '张秀英' },
  ];
  for (const m of more) {
    const id = await createStaffAccount(bff, { username: m.username, password: PASSWORD, role: 'rm', orgUnitId: m.unit, name: m.name });
    rms.push({ id, ...m });
  }
  const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  const december = { startAt: iso(DEC(1, -60)), endAt: iso(DEC(31)) };
  A1 = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: HQ, title: '理财直播预约', schedule: december }));
  A2 = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: HQ, title: '年终积分季', schedule: december }));

  // Each manager's poster scene.
  const posters = new Map<string, string>();
  for (const r of rms) posters.set(r.id, (await bff.call('getMyPoster', undefined, { token: await token(r.username) })).body.scene);

  // Ten customers sign in and never agree to the privacy policy: nothing of theirs is counted.
  for (let i = 0; i < 10; i++) unconsented.push(await customerSession(bff, { consent: false }));

  // 190 consented customers, j = 0..189: j % 3 says how they came (poster, a customer's share, on their own),
  // ⌊j / 3⌋ % 6 whose manager's (poster, share) or which branch's records (organic, every other one; the rest are head office's).
  const plan = Array.from({ length: 190 }, (_, j) => ({ j, kind: (['poster', 'share', 'organic'] as const)[j % 3], r: rms[Math.floor(j / 3) % 6] }));
  const make = async (p: (typeof plan)[number]) => {
    const own = p.kind === 'organic' && p.j % 2 === 0 ? p.r.unit : undefined;
    const s = own ? await customerOf(own, p.j) : await customerSession(bff);
    const c: Customer = {
      j: p.j,
      id: s.id,
      openid: s.openid,
      token: s.token,
      kind: p.kind,
      rm: p.kind === 'organic' ? null : p.r.id,
      unit: p.kind === 'organic' ? (own ?? null) : p.r.unit,
      events: [],
      phone: false,
      offered: false,
      conversions: [],
      points: { earned: 0, spent: 0, expired: 0, adjusted: 0, adjustUp: 0 },
    };
    if (p.kind === 'poster') expect((await bff.call('recordArrival', { body: { scene: posters.get(p.r.id)! } }, { token: c.token })).body.attributed).toBe(true);
    customers[p.j] = c;
  };
  await inBatches(
    plan.filter((p) => p.kind !== 'share'),
    20,
    make,
  );
  // The friends register after the sharers (attribution runs from earlier customers to later ones), through the share of
  // their manager's first poster customer.
  bff.clock.advance(1000);
  const sharers = new Map<string, string>();
  for (const r of rms) {
    const first = customers.find((c) => c?.kind === 'poster' && c.rm === r.id)!;
    sharers.set(r.id, (await bff.call('createMyShare', { body: {} }, { token: first.token })).body.scene);
  }
  await inBatches(
    plan.filter((p) => p.kind === 'share'),
    20,
    async (p) => {
      await make(p);
      expect((await bff.call('recordArrival', { body: { scene: sharers.get(p.r.id)! } }, { token: customers[p.j].token })).body.attributed).toBe(true);
    },
  );

  // Points. 9 December: every other customer earns 100 (expiring after a day); half an hour later every sixth spends 30 of them.
  const ledger = bff.app.services.points;
  await inBatches(
    customers.filter((c) => c.j % 2 === 0),
    20,
    async (c) => {
      await ledger.earn(c.id, 100, `cockpit-a:${c.id}`, '签到');
      c.points.earned += 100;
    },
  );
  bff.clock.set(DEC(9, 30));
  await inBatches(
    customers.filter((c) => c.j % 6 === 0),
    20,
    async (c) => {
      await ledger.spend(c.id, 30, `cockpit-s:${c.id}`, '兑换');
      c.points.spent += 30;
    },
  );
  // 10 December: the expiry job takes what is left of them.
  bff.clock.set(DEC(10, 5));
  await bff.app.services.capabilities.points.service.expireDue();
  for (const c of customers) if (c.j % 2 === 0) c.points.expired += 100 - (c.j % 6 === 0 ? 30 : 0);

  // Still 10 December: yesterday's browsing, impressions of A1 and taking part in it (sent late, counted on their day),
  // phones bound, the bank's reports, points.
  await relogin();
  // 事件营销: a product bought offers A2 (reviewed like every trigger).
  const trigger = await bff.request('POST', '/api/v1/admin/triggers', {
    token: await staffToken(bff, 'admin'),
    body: {
      code: 'TRG-COCKPIT',
      type: 'trigger',
      orgUnitId: HQ,
      name: '购买理财后推荐年终积分季',
      description: '客户购买理财产品后，推荐参加年终积分季活动',
      event: { source: 'bank', name: 'product_bought' },
      conditions: [],
      windowMinutes: 120,
      schedule: { startAt: iso(DEC(9)), endAt: iso(DEC(20)) },
      action: { kind: 'activity', activityId: A2 },
    },
  });
  expect(trigger.status).toBe(201);
  expect((await bff.call('submitTrigger', { params: { id: trigger.body.id } }, { token: await staffToken(bff, 'admin') })).status).toBe(200);
  expect((await bff.call('approveTrigger', { params: { id: trigger.body.id }, body: {} }, { token: await staffToken(bff, 'reviewer') })).status).toBe(200);
  await inBatches(customers, 20, async (c) => {
    const events: Event[] = [];
    if (c.j % 4 !== 3) events.push({ type: 'page_view', day: 1 });
    if (c.j % 5 === 0) events.push({ type: 'impression', day: 1, activityId: A1 });
    if (c.j % 4 === 0) events.push({ type: 'join', day: 1, activityId: A1 });
    if (events.length) await track(c, events);
    if (c.j % 7 === 0) {
      const code = ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=1390000${String(c.j).padStart(4, '0')}`)).json()) as { code: string }).code;
      expect((await bff.call('bindMyPhone', { body: { code } }, { token: c.token })).status).toBe(200);
      c.phone = true;
    }
    const reports: { kind: string; amountYuan?: number }[] = [];
    if (c.j % 8 === 0) reports.push({ kind: 'open_account' });
    if (c.j % 9 === 0) reports.push({ kind: 'product_bought', amountYuan: 20000 });
    if (c.j % 18 === 0) reports.push({ kind: 'product_bought', amountYuan: 5000 });
    if (c.j % 10 === 0) reports.push({ kind: 'aum_change', amountYuan: 5000 });
    if (c.j % 10 === 5) reports.push({ kind: 'aum_change', amountYuan: -3000 });
    for (const r of reports) expect((await report(c.id, r.kind, r.amountYuan)).status).toBe(200);
    c.conversions.push(...reports);
    c.offered = reports.some((r) => r.kind === 'product_bought');
    await ledger.earn(c.id, 50, `cockpit-b:${c.id}`, '任务奖励');
    c.points.earned += 50;
    if (c.j % 5 === 0) {
      await ledger.spend(c.id, 10, `cockpit-t:${c.id}`, '兑换');
      c.points.spent += 10;
    }
    if (c.j % 9 === 0) {
      await ledger.adjust(c.id, 20, `cockpit-u:${c.id}`, '补发');
      c.points.adjusted += 20;
      c.points.adjustUp += 20;
    }
    if (c.j % 11 === 0) {
      await ledger.adjust(c.id, -5, `cockpit-d:${c.id}`, '冲正');
      c.points.adjusted -= 5;
    }
  });
  // The bank reports customers who never agreed: kept, never counted.
  for (const u of unconsented) expect((await report(u.id, 'product_bought', 1000)).status).toBe(200);
  await drainFeed(bff);

  // Later on 10 December (day 2), after the trigger's offers: every other customer comes back; a quarter take part in A2.
  bff.clock.set(DEC(10, 20));
  await inBatches(customers, 20, async (c) => {
    const events: Event[] = [];
    if (c.j % 2 === 0) events.push({ type: 'page_view', day: 2 });
    if (c.j % 4 === 1) events.push({ type: 'join', day: 2, activityId: A2 });
    if (events.length) await track(c, events);
  });
  await drainFeed(bff);
}, 600_000);
afterAll(() => bff.stop());

/** The figures of some customers, by hand. */
function expected(of: Customer[]) {
  const has = (c: Customer, p: (e: Event) => boolean) => c.events.some(p);
  const conv = (kind: string, p: (r: { kind: string; amountYuan?: number }) => boolean = () => true) => of.filter((c) => c.conversions.some((r) => r.kind === kind && p(r))).length;
  const figures = {
    rm_new_customers: of.filter((c) => c.kind !== 'organic').length,
    phone_bindings: of.filter((c) => c.phone).length,
    monthly_active: of.filter((c) => c.events.length > 0).length,
    participants: of.filter((c) => has(c, (e) => e.type === 'join')).length,
    open_account: conv('open_account'),
    product_bought: conv('product_bought'),
    aum_growth: conv('aum_change', (r) => (r.amountYuan ?? 0) > 0),
    reached: of.filter((c) => has(c, (e) => e.type === 'impression')).length,
    followUps: 0,
    leads: 0,
    leadsFollowedUp: 0,
    leadsWithinSla: 0,
    leadsEscalated: 0,
    leadsDecided: 0,
    slaRate: null,
  };
  const daily = ([1, 2] as const)
    .map((day) => ({ day: `2026-12-${day === 1 ? '09' : '10'}`, active: of.filter((c) => has(c, (e) => e.day === day)).length }))
    .filter((d) => d.active > 0);
  const channel = { poster: 'rm_poster', share: 'customer_share', organic: 'organic' } as const;
  const channels = { rm_poster: 0, customer_share: 0, trigger: 0, organic: 0 };
  const perActivity = new Map<string, number>();
  for (const c of of)
    for (const e of c.events.filter((x) => x.type === 'join')) {
      // Offered A2 on day 1 by the trigger, before taking part in it on day 2.
      channels[c.offered && e.activityId === A2 ? 'trigger' : channel[c.kind]] += 1;
      perActivity.set(e.activityId!, (perActivity.get(e.activityId!) ?? 0) + 1);
    }
  const conversions = CONVERSION_KINDS.map((kind) => ({
    kind,
    customers: of.filter((c) => c.conversions.some((r) => r.kind === kind)).length,
    reports: of.reduce((s, c) => s + c.conversions.filter((r) => r.kind === kind).length, 0),
  }));
  const sum = (f: (c: Customer) => number) => of.reduce((s, c) => s + f(c), 0);
  const issued = sum((c) => c.points.earned + c.points.adjustUp);
  const outstanding = sum((c) => c.points.earned - c.points.spent - c.points.expired + c.points.adjusted);
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const points = {
    earned: sum((c) => c.points.earned),
    refunded: 0,
    spent: sum((c) => c.points.spent),
    expired: sum((c) => c.points.expired),
    adjusted: sum((c) => c.points.adjusted),
    issued,
    outstanding,
    ledgerTotal: outstanding,
    balanced: true,
    pointValueYuan: 0.01,
    issuedYuan: round2(issued * 0.01),
    spentYuan: round2(sum((c) => c.points.spent) * 0.01),
    expiredYuan: round2(sum((c) => c.points.expired) * 0.01),
    outstandingYuan: round2(outstanding * 0.01),
  };
  return { figures, daily, channels, perActivity, conversions, points, costPerActiveYuan: figures.monthly_active ? round2(points.issuedYuan / figures.monthly_active) : null };
}

const inBranch = (unit: string) => customers.filter((c) => c.unit === unit);
const ofRm = (rmId: string) => customers.filter((c) => c.rm === rmId);

async function cockpit(username: string, query: { unitId?: string; period?: string } = {}) {
  const res = await bff.call('getCockpit', { query: { period: PERIOD, ...query } }, { token: await token(username) });
  expect(res.status).toBe(200);
  return res.body;
}

function expectCockpit(body: any, of: Customer[]) {
  const want = expected(of);
  expect(body.figures).toEqual(want.figures);
  expect(body.daily).toEqual(want.daily);
  expect(body.channels).toEqual(want.channels);
  expect(Object.fromEntries(body.activities.map((a: { activityId: string; participants: number }) => [a.activityId, a.participants]))).toEqual(
    Object.fromEntries(want.perActivity),
  );
  expect(body.conversions).toEqual(want.conversions);
  expect(body.points).toEqual(want.points);
  expect(body.costPerActiveYuan).toBe(want.costPerActiveYuan);
  // No marketing task was released in this bank: nothing asked, nothing done (tasks are counted in marketing-tasks and steering tests).
  expect(body.tasks).toEqual({ assigned: 0, completed: 0, rate: null });
}

describe('经营看板 on a constructed bank', () => {
  test('head office, each branch and each manager: every figure equals the hand computation', async () => {
    const hq = await cockpit('admin');
    expect(hq.unit).toEqual({ id: HQ, name: '示例银行总行' });
    expect(hq.period).toMatchObject({ kind: 'month', key: PERIOD, start: '2026-11-30T16:00:00.000Z', end: '2026-12-31T16:00:00.000Z' });
    expectCockpit(hq, customers);
    // Sanity of the construction: every kind of figure is there to be counted.
    expect(hq.figures.monthly_active).toBeGreaterThan(150);
    expect(hq.channels.rm_poster * hq.channels.customer_share * hq.channels.trigger * hq.channels.organic).toBeGreaterThan(0);
    expect(hq.points.expired * hq.points.spent * hq.points.adjusted).not.toBe(0);

    // The drill-down: each branch over its subtree; customers of no branch count at head office only.
    expect(hq.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([...BRANCHES].sort());
    for (const row of hq.units) expect(row.figures).toEqual(expected(inBranch(row.unitId)).figures);
    expect(customers.some((c) => c.unit === null)).toBe(true);
    for (const unit of BRANCHES) expectCockpit(await cockpit('admin', { unitId: unit }), inBranch(unit));

    // The leaderboard: every manager of the bank, their own customers, most new customers first.
    expect(hq.leaderboard).toHaveLength(6);
    for (const row of hq.leaderboard) {
      expect(row.figures).toEqual(expected(ofRm(row.rmId)).figures);
      expect(row.name).toBe(rms.find((r) => r.id === row.rmId)!.name);
    }
    const news = hq.leaderboard.map((r: { figures: { rm_new_customers: number } }) => r.figures.rm_new_customers);
    expect(news).toEqual([...news].sort((a, b) => b - a));
    // A reviewer reads the same figures, names masked.
    const asReviewer = await cockpit('reviewer');
    expect(asReviewer.figures).toEqual(hq.figures);
    for (const row of asReviewer.leaderboard) expect(row.name).toBe(maskName(rms.find((r) => r.id === row.rmId)!.name));
  });

  test('the points liability equals every customer’s balance as the customer API reads it, and the ledger’s own check', async () => {
    const hq = await cockpit('admin');
    let balances = 0;
    await inBatches(customers, 20, async (c) => {
      const res = await bff.call('getMyPoints', undefined, { token: c.token });
      expect(res.status).toBe(200);
      balances += res.body.balance;
    });
    expect(hq.points.outstanding).toBe(balances);
    expect(hq.points.ledgerTotal).toBe(balances);
    expect(hq.points.outstandingYuan).toBe(Math.round(balances) / 100);
    const invariants = await bff.call('checkInvariants', undefined, { token: await token('reviewer') });
    expect(invariants.body).toMatchObject({ upToDate: true, violations: [] });
    // The branches' liabilities add up to the bank's, with head office's own customers.
    const branches = await Promise.all(BRANCHES.map((unitId) => cockpit('admin', { unitId })));
    const own = expected(customers.filter((c) => c.unit === null)).points.outstanding;
    expect(branches.reduce((s, b) => s + b.points.outstanding, 0) + own).toBe(balances);
  });

  test('targets: head office allots to branches, a branch splits its share over its managers (never below it), and each is shown against the actual', async () => {
    const admin = await token('admin');
    const reviewer = await token('reviewer');
    const adminSh = await token('admin-sh');
    const approve = async (id: string) => expect((await bff.call('approveTarget', { params: { id }, body: {} }, { token: reviewer })).status).toBe(200);
    const target = (code: string, orgUnitId: string, allocations: unknown[]) => ({
      code,
      type: 'programme_target',
      orgUnitId,
      title: '12 月客户经理获客目标',
      period: { kind: 'month', key: PERIOD },
      metric: 'rm_new_customers',
      allocations,
    });
    const hqTarget = await bff.request('POST', '/api/v1/admin/targets', {
      token: admin,
      body: target('T-HQ-2612', HQ, [
        { unitId: 'org-sh', value: 20 },
        { unitId: 'org-gz', value: 25 },
        { unitId: 'org-bj', value: 30 },
      ]),
    });
    expect(hqTarget.status).toBe(201);
    expect((await bff.call('submitTarget', { params: { id: hqTarget.body.id } }, { token: admin })).status).toBe(200);
    // The author does not approve their own target.
    expect((await bff.call('approveTarget', { params: { id: hqTarget.body.id }, body: {} }, { token: admin })).status).toBe(403);
    await approve(hqTarget.body.id);

    const [sh1, sh2] = rms.filter((r) => r.unit === 'org-sh');
    const gz1 = rms.find((r) => r.unit === 'org-gz')!;
    // A split below what head office allotted is refused, naming both numbers.
    const low = await bff.request('POST', '/api/v1/admin/targets', {
      token: adminSh,
      body: target('T-SH-2612', 'org-sh', [
        { rmId: sh1.id, value: 8 },
        { rmId: sh2.id, value: 7 },
      ]),
    });
    expect(low.status).toBe(201);
    const refused = await bff.call('submitTarget', { params: { id: low.body.id } }, { token: adminSh });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('15');
    expect(refused.body.message).toContain('20');
    // Another branch's manager is not the branch's to allot to.
    const elsewhere = await bff.request('PUT', `/api/v1/admin/targets/${low.body.id}`, {
      token: adminSh,
      body: target('T-SH-2612', 'org-sh', [
        { rmId: sh1.id, value: 12 },
        { rmId: gz1.id, value: 10 },
      ]),
    });
    expect(elsewhere.status).toBe(200);
    const outside = await bff.call('submitTarget', { params: { id: low.body.id } }, { token: adminSh });
    expect(outside.status).toBe(422);
    expect(outside.body.issues).toEqual([{ path: 'allocations.1.rmId', message: expect.stringContaining('客户经理') }]);
    // Nor may a branch allot to head office's other branches.
    expect((await bff.request('POST', '/api/v1/admin/targets', { token: adminSh, body: target('T-SH-X', 'org-gz', [{ unitId: 'org-gz', value: 1 }]) })).status).toBe(403);
    expect(
      (
        await bff.request('PUT', `/api/v1/admin/targets/${low.body.id}`, {
          token: adminSh,
          body: target('T-SH-2612', 'org-sh', [
            { rmId: sh1.id, value: 12 },
            { rmId: sh2.id, value: 10 },
          ]),
        })
      ).status,
    ).toBe(200);
    expect((await bff.call('submitTarget', { params: { id: low.body.id } }, { token: adminSh })).status).toBe(200);
    await approve(low.body.id);

    const actual = (of: Customer[]) => expected(of).figures.rm_new_customers;
    const row = (rows: { metric: string }[]) => rows.find((r) => r.metric === 'rm_new_customers');
    const hq = await cockpit('admin');
    expect(row(hq.targets)).toEqual({ metric: 'rm_new_customers', target: 75, actual: actual(customers), rate: Math.round((actual(customers) / 75) * 10_000) / 10_000 });
    expect(hq.targets.map((t: { metric: string }) => t.metric)).toEqual([...PROGRAMME_METRICS]);
    for (const [unit, value] of [
      ['org-sh', 20],
      ['org-gz', 25],
      ['org-bj', 30],
    ] as const) {
      expect(row(hq.units.find((u: { unitId: string }) => u.unitId === unit).targets)).toMatchObject({ target: value, actual: actual(inBranch(unit)) });
    }
    const sh = await cockpit('admin-sh');
    expect(sh.unit.id).toBe('org-sh');
    expect(row(sh.targets)).toMatchObject({ target: 20, actual: actual(inBranch('org-sh')) });
    expect(row(sh.leaderboard.find((r: { rmId: string }) => r.rmId === sh1.id).targets)).toMatchObject({ target: 12, actual: actual(ofRm(sh1.id)) });
    expect(row(sh.leaderboard.find((r: { rmId: string }) => r.rmId === sh2.id).targets)).toMatchObject({ target: 10, actual: actual(ofRm(sh2.id)) });

    // The manager's own figures and what was allotted to them, never another's.
    const mine = await bff.call('getMyPerformance', undefined, { token: await token(sh1.username) });
    expect(mine.status).toBe(200);
    expect(mine.body.month.period.key).toBe(PERIOD);
    expect(mine.body.month.figures).toEqual(expected(ofRm(sh1.id)).figures);
    expect(row(mine.body.month.targets)).toMatchObject({ target: 12, actual: actual(ofRm(sh1.id)) });
    expect(mine.body.quarter.period.key).toBe('2026-Q4');
    expect(mine.body.quarter.figures).toEqual(expected(ofRm(sh1.id)).figures);
    expect(row(mine.body.quarter.targets)).toMatchObject({ target: 0 });
    const other = await bff.call('getMyPerformance', undefined, { token: await token(gz1.username) });
    expect(other.body.month.figures).toEqual(expected(ofRm(gz1.id)).figures);
    expect(row(other.body.month.targets)).toMatchObject({ target: 0 });
  });

  test('who sees what: a manager only their own results, a branch admin only their subtree', async () => {
    const rmToken = await token('rm');
    expect((await bff.call('getCockpit', { query: { period: PERIOD } }, { token: rmToken })).status).toBe(403);
    const adminSh = await token('admin-sh');
    for (const unitId of ['org-gz', HQ, 'org-nowhere']) expect((await bff.call('getCockpit', { query: { unitId, period: PERIOD } }, { token: adminSh })).status).toBe(404);
    expect((await bff.call('checkCockpit', { query: { unitId: 'org-gz', period: PERIOD } }, { token: adminSh })).status).toBe(404);
    const sh = await cockpit('admin-sh');
    expect(sh.leaderboard.map((r: { rmId: string }) => r.rmId).sort()).toEqual(
      rms
        .filter((r) => r.unit === 'org-sh')
        .map((r) => r.id)
        .sort(),
    );
    expect(sh.units).toEqual([]);
    expectCockpit(sh, inBranch('org-sh'));
  });

  test('the recount from the stored records agrees, and each table exports as CSV under the console’s headers', async () => {
    for (const [username, unitId] of [
      ['admin', undefined],
      ['admin', 'org-gz'],
      ['admin-sh', undefined],
    ] as const) {
      const check = await bff.call('checkCockpit', { query: { period: PERIOD, ...(unitId ? { unitId } : {}) } }, { token: await token(username) });
      expect(check.status).toBe(200);
      expect(check.body.differences).toEqual([]);
      expect(check.body.consistent).toBe(true);
      expect(check.body.figures.find((f: { figure: string }) => f.figure === 'monthly_active').recount).toBeGreaterThan(0);
    }

    const csv = async (table: string, unitId?: string) => {
      const res = await bff.call('exportCockpit', { query: { period: PERIOD, table: table as never, ...(unitId ? { unitId } : {}) } }, { token: await token('admin') });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      return parseCsv(String(res.body));
    };
    const want = expected(customers);
    const points = await csv('points');
    expect(points[0]).toEqual(['项目', '积分', '金额（元）']);
    expect(points).toContainEqual(['未使用余额（负债）', String(want.points.outstanding), String(want.points.outstandingYuan)]);
    expect(points).toContainEqual(['过期', String(want.points.expired), String(want.points.expiredYuan)]);
    const daily = await csv('daily');
    expect(daily).toEqual([['日期（北京时间）', '活跃客户（人）'], ...want.daily.map((d) => [d.day, String(d.active)])]);
    const channels = await csv('channels', 'org-gz');
    const gz = expected(inBranch('org-gz')).channels;
    expect(channels).toEqual([
      ['渠道', '参与人次'],
      ['客户经理海报', String(gz.rm_poster)],
      ['客户分享', String(gz.customer_share)],
      ['事件营销', String(gz.trigger)],
      ['自然流量', String(gz.organic)],
    ]);
    const leaderboard = await csv('leaderboard');
    expect(leaderboard[0].slice(0, 3)).toEqual(['排名', '客户经理', '客户经理新增客户']);
    expect(leaderboard).toHaveLength(7);
  });
});
