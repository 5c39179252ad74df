import { randomBytes } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { callOn, SPAWN_HOOK_TIMEOUT_MS, spawnBff, stopAll, type BffProcess } from '../helpers/process';
import { seedDemo, seedDemoBank, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { createStaffAccount } from '../helpers/staff';
import { drainFeed } from '../helpers/feed';
import { settledTo } from '../helpers/settled';

/**
 * Issue 31, marketing tasks: a task released to a branch reaches exactly its relationship
 * managers; what they do is counted once per customer however many processes see it; each
 * manager sees only their own, a branch admin only their subtree.
 */
const dbName = uniqueDbName('rmtasks');
let bff: TestBff;
let a: BffProcess;
let b: BffProcess;
let tokens: { admin: string; reviewer: string; branch: string; branchGz: string; rm: string; rmPd: string; rmGz: string };
let activityId: string;

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
const HOUR = 3_600_000;
const PASSWORD = 'Tasks#2026x';

function taskInput(overrides: Record<string, unknown> = {}) {
  const now = bff.clock.now().getTime();
  return {
    code: `TASK-${randomBytes(4).toString('hex')}`,
    type: 'share_poster',
    orgUnitId: 'org-hq',
    title: '十二月理财节海报分享',
    description: '请把理财节海报分享给您的客户和朋友，邀请他们预约直播',
    unitIds: ['org-sh'],
    startAt: iso(now - HOUR),
    endAt: iso(now + 7 * 24 * HOUR),
    activityId,
    goal: 3,
    ...overrides,
  };
}

/** An admin asks, a reviewer approves: the task is released. */
async function releaseTask(input: Record<string, unknown>, by = tokens.admin): Promise<string> {
  const created = await bff.call('createRmTask', { body: input as never }, { token: by });
  expect(created.status).toBe(201);
  const submitted = await bff.call('submitRmTask', { params: { id: created.body.id } }, { token: by });
  expect(submitted.status).toBe(200);
  const approved = await bff.call('approveRmTask', { params: { id: created.body.id }, body: {} }, { token: tokens.reviewer });
  expect(approved.status).toBe(200);
  return created.body.id;
}

const myTask = async (id: string, token: string) => (await bff.call('getMyRmTask', { params: { id } }, { token })).body;

beforeAll(async () => {
  bff = await startBff('rmtasks', { dbName });
  await seedDemo(bff);
  await bff.app.services.org.upsert({ id: 'org-sh-pd', name: '示例银行上海浦东支行', level: 'sub-branch', parentId: 'org-sh' });
  const suffix = randomBytes(3).toString('hex');
  await createStaffAccount(bff, { username: `rm_pd_${suffix}`, password: PASSWORD, role: 'rm', orgUnitId: 'org-sh-pd', name: '周浦东' });
  await createStaffAccount(bff, { username: `rm_gz_${suffix}`, password: PASSWORD, role: 'rm', orgUnitId: 'org-gz', name: '黄广州' });
  await createStaffAccount(bff, { username: `admin_gz_${suffix}`, password: PASSWORD, role: 'admin', orgUnitId: 'org-gz', name: '郑广分' });
  tokens = {
    admin: await staffToken(bff, 'admin'),
    reviewer: await staffToken(bff, 'reviewer'),
    branch: await staffToken(bff, 'admin-sh'),
    branchGz: await staffToken(bff, `admin_gz_${suffix}`, PASSWORD),
    rm: await staffToken(bff, 'rm'),
    rmPd: await staffToken(bff, `rm_pd_${suffix}`, PASSWORD),
    rmGz: await staffToken(bff, `rm_gz_${suffix}`, PASSWORD),
  };
  activityId = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: 'org-hq', title: '年终理财节' }));
  [a, b] = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
}, SPAWN_HOOK_TIMEOUT_MS);
afterAll(async () => {
  await stopAll([a, b]);
  await bff.stop();
});

describe('a task released to a branch reaches exactly its relationship managers', () => {
  test('Shanghai’s managers (and its sub-branch’s) have it; Guangzhou’s do not; each admin reads the managers of their own subtree', async () => {
    const id = await releaseTask(taskInput());
    for (const token of [tokens.rm, tokens.rmPd]) {
      const mine = await bff.call('listMyRmTasks', {}, { token });
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(id);
      const card = mine.body.items.find((t: { id: string }) => t.id === id);
      expect(card).toMatchObject({
        state: 'running',
        issuer: '示例银行总行',
        activity: { id: activityId, title: '年终理财节' },
        progress: { shared: false, arrivals: 0, goal: 3, done: false },
      });
    }
    expect((await bff.call('listMyRmTasks', {}, { token: tokens.rmGz })).body.items.map((t: { id: string }) => t.id)).not.toContain(id);
    expect((await bff.call('getMyRmTask', { params: { id } }, { token: tokens.rmGz })).status).toBe(404);

    const hq = await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.admin });
    expect(hq.status).toBe(200);
    expect(hq.body.rows.map((r: { name: string; unitName: string }) => `${r.unitName}/${r.name}`).sort()).toEqual(['示例银行上海分行/陈经理', '示例银行上海浦东支行/周浦东']);
    expect(hq.body).toMatchObject({ managers: 2, completed: 0 });
    const branch = await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.branch });
    expect(branch.body.managers).toBe(2);
    // A reviewer reads the same rows with names masked; Guangzhou's admin has no manager it reached.
    const reviewer = await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.reviewer });
    expect(reviewer.body.rows.map((r: { name: string }) => r.name).sort()).toEqual(['**东', '**理']);
    expect((await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.branchGz })).status).toBe(404);
    // Listed for the branch among the tasks reaching it (head office's too), not for Guangzhou.
    const reaching = await bff.call('listRmTaskExecutions', {}, { token: tokens.branch });
    expect(reaching.body.items.find((t: { id: string }) => t.id === id)).toMatchObject({ issuer: '示例银行总行', managers: 2, completed: 0, state: 'running' });
    expect((await bff.call('listRmTaskExecutions', {}, { token: tokens.branchGz })).body.items.map((t: { id: string }) => t.id)).not.toContain(id);
    // A manager reads only their own: the execution list is staff's, not theirs.
    expect((await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.rm })).status).toBe(403);
  });

  test('a task goes only where its issuer reaches, with an activity its managers may share', async () => {
    const outside = await bff.call('createRmTask', { body: taskInput({ orgUnitId: 'org-sh', unitIds: ['org-gz'] }) as never }, { token: tokens.branch });
    expect(outside.status).toBe(201);
    const refused = await bff.call('submitRmTask', { params: { id: outside.body.id } }, { token: tokens.branch });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.issues)).toContain('只能下达给本机构或下级机构');

    const shanghaiOnly = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: 'org-sh', title: '上海分行专享' }));
    const toGz = await bff.call('createRmTask', { body: taskInput({ unitIds: ['org-gz'], activityId: shanghaiOnly }) as never }, { token: tokens.admin });
    const refusedGz = await bff.call('submitRmTask', { params: { id: toGz.body.id } }, { token: tokens.admin });
    expect(refusedGz.status).toBe(422);
    expect(JSON.stringify(refusedGz.body.issues)).toContain('示例银行广州分行');
  });
});

describe('execution is counted once per customer, over two processes', () => {
  test('the poster shared from both processes at once is one share; every customer arriving through it counts once, new ones apart', async () => {
    const id = await releaseTask(taskInput({ goal: 5 }));
    const shares = await Promise.all([a, b, a, b].map((p) => callOn(p, 'POST', `/rm/tasks/${id}/share`, tokens.rm)));
    for (const s of shares) expect(s.status).toBe(200);
    const scenes = new Set(shares.map((s) => s.body.poster.scene));
    expect(scenes.size).toBe(1);
    const [scene] = scenes;
    expect(shares[0].body.poster).toMatchObject({ title: '年终理财节', manager: { name: '**理' } });

    // Two customers who came through someone else first: they arrive through the task too, but are not new through it.
    const friendScene = (await bff.call('createMyShare', { body: {} }, { token: (await customerSession(bff)).token })).body.scene;
    // Attribution runs from an earlier customer to a later one.
    bff.clock.advance(1000);
    const earlier = await Promise.all([customerSession(bff), customerSession(bff)]);
    for (const c of earlier) expect((await bff.call('recordArrival', { body: { scene: friendScene } }, { token: c.token })).body.attributed).toBe(true);
    const newcomers = await Promise.all(Array.from({ length: 6 }, () => customerSession(bff)));

    const arrivals = await Promise.all([...earlier, ...newcomers].flatMap((c) => [a, b, a].map((p) => callOn(p, 'POST', '/me/arrival', c.token, { scene }))));
    for (const r of arrivals) expect(r.status).toBe(200);
    await drainFeed(bff);

    const progress = async () => (await myTask(id, tokens.rm)).progress;
    expect(await settledTo(async () => (await progress()).arrivals, 8)).toBe(8);
    expect(await progress()).toMatchObject({ shared: true, arrivals: 8, newCustomers: 6, goal: 5, done: true });
    // Another manager of the branch did nothing for it: their book is their own.
    expect((await myTask(id, tokens.rmPd)).progress).toMatchObject({ shared: false, arrivals: 0, done: false });
    const hq = await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.admin });
    expect(hq.body).toMatchObject({ managers: 2, completed: 1 });
  });

  test('a follow-up task lists the manager’s own customers who may be marketed to; each is followed up once, from any process', async () => {
    // The manager's customers: through their own poster.
    const poster = await bff.call('getMyPoster', { query: {} }, { token: tokens.rm });
    const mine = await Promise.all(Array.from({ length: 4 }, () => customerSession(bff)));
    for (const c of mine) expect((await bff.call('recordArrival', { body: { scene: poster.body.scene } }, { token: c.token })).body.attributed).toBe(true);
    // One of them turned personalised marketing off: not on anyone's list.
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: mine[3].token })).status).toBe(200);

    const id = await releaseTask(taskInput({ type: 'follow_up', activityId: undefined, title: '年末存款到期客户回访', goal: 2 }));
    const detail = await myTask(id, tokens.rm);
    const listed = detail.customers.map((c: { customerId: string }) => c.customerId);
    for (const c of mine.slice(0, 3)) expect(listed).toContain(c.id);
    expect(listed).not.toContain(mine[3].id);
    expect(detail.progress).toMatchObject({ followUps: 0, listSize: listed.length, goal: 2, done: false });
    expect((await bff.call('shareMyRmTask', { params: { id } }, { token: tokens.rm })).body.code).toBe('RM_TASK_NOTHING_TO_SHARE');

    const body = { customerId: mine[0].id, method: 'call' as const, outcome: 'interested' as const, note: '客户关注年末理财，约下周到网点' };
    const tries = await Promise.all([a, b, a, b].map((p) => callOn(p, 'POST', `/rm/tasks/${id}/follow-ups`, tokens.rm, body)));
    expect(tries.map((t) => t.status).sort()).toEqual([201, 409, 409, 409]);
    expect(tries.find((t) => t.status === 409)!.body.code).toBe('RM_TASK_ALREADY_FOLLOWED_UP');

    const withPhone = await bff.call('recordRmTaskFollowUp', { params: { id }, body: { ...body, customerId: mine[1].id, note: '客户新号码 13912345678' } }, { token: tokens.rm });
    expect(withPhone.status).toBe(422);
    const notMine = await bff.call('recordRmTaskFollowUp', { params: { id }, body: { ...body, customerId: mine[3].id } }, { token: tokens.rm });
    expect(notMine.status).toBe(404);
    // The other manager's list is theirs: they cannot follow up the first manager's customer.
    expect((await bff.call('recordRmTaskFollowUp', { params: { id }, body: { ...body, customerId: mine[1].id } }, { token: tokens.rmPd })).status).toBe(404);

    const second = await bff.call(
      'recordRmTaskFollowUp',
      { params: { id }, body: { ...body, customerId: mine[1].id, method: 'wecom' as const, outcome: 'no_need' as const, note: '' } },
      { token: tokens.rm },
    );
    expect(second.status).toBe(201);
    expect(second.body.progress).toMatchObject({ followUps: 2, goal: 2, done: true });
    const followed = second.body.customers.find((c: { customerId: string }) => c.customerId === mine[1].id);
    expect(followed.followUp).toMatchObject({ method: 'wecom', outcome: 'no_need' });

    const branch = await bff.call('getRmTaskExecution', { params: { id } }, { token: tokens.branch });
    const row = branch.body.rows.find((r: { name: string }) => r.name === '陈经理');
    expect(row.progress).toMatchObject({ followUps: 2, done: true });
    expect(branch.body.completed).toBe(1);
  });

  test('a follow-up list follows its customers in a hand-over: those not yet followed up go to the taking manager, whose goal grows; the giver keeps what they did', async () => {
    const suffix = randomBytes(3).toString('hex');
    const manager = async (name: string, tag: string) => {
      const username = `rm_ho_${tag}_${suffix}`;
      const id = await createStaffAccount(bff, { username, password: PASSWORD, role: 'rm', orgUnitId: 'org-sh', name });
      return { id, token: await staffToken(bff, username, PASSWORD) };
    };
    const [giver, taker] = [await manager('钱移交', 'giver'), await manager('孙接手', 'taker')];
    const customersOf = async (rm: { token: string }, n: number) => {
      const poster = await bff.call('getMyPoster', { query: {} }, { token: rm.token });
      const found = await Promise.all(Array.from({ length: n }, () => customerSession(bff)));
      for (const c of found) expect((await bff.call('recordArrival', { body: { scene: poster.body.scene } }, { token: c.token })).body.attributed).toBe(true);
      return found;
    };
    const [givenSessions, own] = [await customersOf(giver, 4), (await customersOf(taker, 1)).map((c) => c.id)];
    const given = givenSessions.slice(0, 3).map((c) => c.id);
    const optingOut = givenSessions[3];
    const listOf = async (id: string, rm: { token: string }) => {
      const task = await myTask(id, rm.token);
      return { ids: (task.customers as { customerId: string }[]).map((c) => c.customerId).sort(), progress: task.progress };
    };
    const followUp = (id: string, rm: { token: string }, customerId: string) =>
      bff.call('recordRmTaskFollowUp', { params: { id }, body: { customerId, method: 'call', outcome: 'interested', note: '' } }, { token: rm.token });

    // Both read the first task (their lists are fixed); the giver follows one customer up. The second only the taker has opened.
    const read = await releaseTask(taskInput({ type: 'follow_up', activityId: undefined, title: '季末客户回访', goal: 1 }));
    const unread = await releaseTask(taskInput({ type: 'follow_up', activityId: undefined, title: '节前问候', goal: 1 }));
    expect((await listOf(read, giver)).ids).toEqual([...given, optingOut.id].sort());
    expect((await listOf(read, taker)).ids).toEqual(own);
    expect((await listOf(unread, taker)).ids).toEqual(own);
    expect((await followUp(read, giver, given[0])).status).toBe(201);

    // One customer switches personalised marketing off before the hand-over: passed on to nobody's list.
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: optingOut.token })).status).toBe(200);
    const requested = await bff.call('requestHandover', { body: { fromRmId: giver.id, toRmId: taker.id, reason: '客户经理离职' } }, { token: tokens.admin });
    expect(requested.status).toBe(201);
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    const run = async () => (await bff.call('getHandover', { params: { id: requested.body.id } }, { token: tokens.admin })).body.run?.state;
    expect(await settledTo(run, 'done', 60_000)).toBe('done');

    // The giver keeps the customer they followed up, and their goal is met; the others are the taker's now.
    expect(await listOf(read, giver)).toMatchObject({ ids: [given[0]], progress: { followUps: 1, listSize: 1, done: true } });
    expect((await followUp(read, giver, given[1])).status).toBe(404);
    expect(await listOf(read, taker)).toMatchObject({ ids: [...own, given[1], given[2]].sort(), progress: { followUps: 0, listSize: 3 } });
    expect((await followUp(read, taker, given[1])).status).toBe(201);
    // The customer already followed up stays done: the taker cannot follow them up again for this task.
    expect((await followUp(read, taker, given[0])).status).toBe(404);
    // A list the giver never opened still hands its customers to the taker's; opened now, it is built from the books as they are.
    expect((await listOf(unread, giver)).ids).toEqual([]);
    expect((await listOf(unread, taker)).ids).toEqual([...own, ...given].sort());
  });

  test('a content task: the piece sent with the task scene counts each customer who opens it once, over two processes; a piece a unit may not use is refused', async () => {
    const now = bff.clock.now().getTime();
    const content = await bff.call(
      'createLibraryContent',
      {
        body: {
          code: `CNT-${randomBytes(4).toString('hex')}`,
          type: 'article',
          orgUnitId: 'org-hq',
          title: '年末理财知识',
          body: '年末将至，为您整理了几条理财小知识。理财有风险，投资需谨慎。',
          unitIds: ['org-sh'],
          startAt: iso(now - HOUR),
          endAt: iso(now + 30 * 24 * HOUR),
        } as never,
      },
      { token: tokens.admin },
    );
    expect(content.status).toBe(201);
    expect((await bff.call('submitLibraryContent', { params: { id: content.body.id } }, { token: tokens.admin })).status).toBe(200);
    expect((await bff.call('approveLibraryContent', { params: { id: content.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    const contentId = content.body.id as string;

    // Guangzhou may not use it: a task sending it there is refused, naming the unit.
    const toGz = await bff.call(
      'createRmTask',
      { body: taskInput({ type: 'send_content', activityId: undefined, contentId, unitIds: ['org-gz'] }) as never },
      { token: tokens.admin },
    );
    const refused = await bff.call('submitRmTask', { params: { id: toGz.body.id } }, { token: tokens.admin });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.issues)).toContain('示例银行广州分行');

    const id = await releaseTask(taskInput({ type: 'send_content', activityId: undefined, contentId, title: '发送年末理财知识', goal: 3 }));
    const shared = await bff.call('shareMyRmTask', { params: { id } }, { token: tokens.rm });
    expect(shared.status).toBe(200);
    expect(shared.body.poster).toBeNull();
    const scene = shared.body.share.scene as string;
    expect(shared.body.share.path).toContain(`/packages/content/view/index?id=${contentId}`);

    const readers = await Promise.all(Array.from({ length: 3 }, () => customerSession(bff)));
    const opened = await Promise.all(readers.flatMap((c) => [a, b, a, b].map((p) => callOn(p, 'GET', `/content/${contentId}?scene=${scene}`, c.token))));
    for (const o of opened) expect(o.status).toBe(200);
    const card = (await bff.call('listMyRmTasks', {}, { token: tokens.rm })).body.items.find((t: { id: string }) => t.id === id);
    expect(card).toMatchObject({ content: { id: contentId, title: '年末理财知识' }, progress: { shared: true, opens: 3, goal: 3, done: true } });
    // The same piece shared outside the task counts for the library, not for the task.
    const plain = await bff.call('shareContent', { params: { id: contentId }, body: {} }, { token: tokens.rm });
    const outsider = await customerSession(bff);
    expect((await bff.call('openContent', { params: { id: contentId }, query: { scene: plain.body.scene } }, { token: outsider.token })).status).toBe(200);
    expect((await myTask(id, tokens.rm)).progress.opens).toBe(3);
  });

  test('a task that has not started or has ended cannot be shared or followed up', async () => {
    const now = bff.clock.now().getTime();
    const later = await releaseTask(taskInput({ startAt: iso(now + 24 * HOUR), endAt: iso(now + 48 * HOUR) }));
    const card = (await bff.call('listMyRmTasks', {}, { token: tokens.rm })).body.items.find((t: { id: string }) => t.id === later);
    expect(card.state).toBe('upcoming');
    const refused = await bff.call('shareMyRmTask', { params: { id: later } }, { token: tokens.rm });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('RM_TASK_NOT_RUNNING');
  });
});

describe('the demo bank', () => {
  test('head office’s demo tasks reach the demo manager, and seeding again changes nothing', async () => {
    const demo = await startBff('rmtasksdemo');
    try {
      await seedDemoBank(demo);
      await seedDemoBank(demo);
      const mine = await demo.call('listMyRmTasks', {}, { token: await staffToken(demo, 'rm') });
      expect(mine.body.items.map((t: { title: string }) => t.title)).toEqual(expect.arrayContaining(['年末客户回访', '年终理财直播海报分享']));
      const listed = await demo.call('listRmTasks', { query: { q: 'DEMO-TASK' } }, { token: await staffToken(demo, 'admin') });
      for (const d of listed.body.items) expect(d).toMatchObject({ liveRevision: 1, workingRevision: null });
    } finally {
      await demo.stop();
    }
  });
});
