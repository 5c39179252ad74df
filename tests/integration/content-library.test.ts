import { randomBytes } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { checkedFetch } from '../helpers/contract';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { seedDemo, staffToken } from '../helpers/seed';
import { consent, customerSession } from '../helpers/activities';
import { createStaffAccount } from '../helpers/staff';

/**
 * Issue 31, 内容库: 话术, posters and articles reviewed by 消保, shared by relationship managers
 * of the units allowed to use them, opened by customers and counted once per customer and sharer
 * (after consent, over two processes), unavailable with a clear refusal once expired or withdrawn.
 */
const dbName = uniqueDbName('contentlib');
let bff: TestBff;
type Tokens = { admin: string; reviewer: string; branch: string; rm: string; rm2: string; rmGz: string };
let tokens: Tokens;
const ids = { rm: 'staff-rm-sh', rm2: '', rmGz: '' };
const HOUR = 60 * 60 * 1000;
const MANAGER_PASSWORD = 'Content#2026';
const iso = (t: number) => new Date(t).toISOString();

function contentInput(overrides: Record<string, unknown> = {}) {
  const now = bff.clock.now().getTime();
  return {
    code: `CNT-${randomBytes(4).toString('hex')}`,
    type: 'script',
    orgUnitId: 'org-sh',
    title: '年末理财沟通话术',
    body: '您好，年末将至，我行为您准备了理财知识讲座，欢迎预约参加。',
    startAt: iso(now - HOUR),
    endAt: iso(now + 7 * 24 * HOUR),
    ...overrides,
  };
}

async function publish(input: Record<string, unknown>, author = tokens.admin): Promise<string> {
  const created = await bff.call('createLibraryContent', { body: input as never }, { token: author });
  expect(created.status).toBe(201);
  expect((await bff.call('submitLibraryContent', { params: { id: created.body.id } }, { token: author })).status).toBe(200);
  expect((await bff.call('approveLibraryContent', { params: { id: created.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
  return created.body.id;
}

const usable = async (token: string) => (await bff.call('listUsableContent', {}, { token })).body.items as { id: string; opens: number }[];
const opensIn = async (token: string, id: string) => (await usable(token)).find((c) => c.id === id)?.opens;
const share = async (token: string, id: string) => {
  const res = await bff.call('shareContent', { params: { id }, body: {} }, { token });
  expect(res.status).toBe(200);
  return res.body as { scene: string; path: string };
};
const open = (token: string, id: string, scene?: string) => bff.call('openContent', { params: { id }, query: scene ? { scene } : {} }, { token });
const openedEvents = async (contentId: string) => bff.db.collection('outbox_events').find({ name: 'content.opened', 'payload.contentId': contentId }).toArray();

async function newManager(orgUnitId: string): Promise<{ id: string; token: string }> {
  const username = `rm_${randomBytes(4).toString('hex')}`;
  const id = await createStaffAccount(bff, { username, password: MANAGER_PASSWORD, role: 'rm', orgUnitId, name: '周经理' });
  return { id, token: await staffToken(bff, username, MANAGER_PASSWORD) };
}

beforeAll(async () => {
  bff = await startBff('contentlib', { dbName });
  await seedDemo(bff);
  const [rm2, rmGz] = [await newManager('org-sh'), await newManager('org-gz')];
  ids.rm2 = rm2.id;
  ids.rmGz = rmGz.id;
  tokens = {
    admin: await staffToken(bff, 'admin'),
    reviewer: await staffToken(bff, 'reviewer'),
    branch: await staffToken(bff, 'admin-sh'),
    rm: await staffToken(bff, 'rm'),
    rm2: rm2.token,
    rmGz: rmGz.token,
  };
});
afterAll(() => bff.stop());

describe('review by 消保', () => {
  test('banned wording in the body is refused at submission, naming the field', async () => {
    const created = await bff.call('createLibraryContent', { body: contentInput({ body: '本理财产品保本保息，欢迎咨询。' }) as never }, { token: tokens.admin });
    expect(created.status).toBe(201);
    const submitted = await bff.call('submitLibraryContent', { params: { id: created.body.id } }, { token: tokens.admin });
    expect(submitted.status).toBe(422);
    expect(submitted.body.code).toBe('REVIEW_BANNED_WORDS');
    expect(submitted.body.message).toContain('正文（保本）');
  });

  test('the author cannot approve their own content; a reviewer approves it, and only then a manager can share it', async () => {
    const input = contentInput({ type: 'poster', body: undefined, image: '/media/activity-live.svg', title: '新春海报' });
    const created = await bff.call('createLibraryContent', { body: input as never }, { token: tokens.branch });
    const id = created.body.id;
    expect((await bff.call('submitLibraryContent', { params: { id } }, { token: tokens.branch })).status).toBe(200);
    expect((await bff.call('shareContent', { params: { id }, body: {} }, { token: tokens.rm })).status).toBe(404);
    const own = await bff.call('approveLibraryContent', { params: { id }, body: {} }, { token: tokens.branch });
    expect(own.status).toBe(403);
    const approved = await bff.call('approveLibraryContent', { params: { id }, body: {} }, { token: tokens.reviewer });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('live');
    expect((await usable(tokens.rm)).map((c) => c.id)).toContain(id);
  });

  test('a poster without its picture and a script without its text are refused when written', async () => {
    for (const body of [contentInput({ type: 'poster', body: undefined }), contentInput({ body: undefined })]) {
      const res = await bff.call('createLibraryContent', { body: body as never }, { token: tokens.admin });
      expect(res.status).toBe(422);
    }
  });
});

describe('who may use what', () => {
  let sh: string, hqForSh: string, hqAll: string, gz: string;
  beforeAll(async () => {
    sh = await publish(contentInput({ title: '上海分行话术' }));
    hqForSh = await publish(contentInput({ orgUnitId: 'org-hq', unitIds: ['org-sh'], title: '总行授权上海' }));
    hqAll = await publish(contentInput({ orgUnitId: 'org-hq', title: '总行全辖话术' }));
    gz = await publish(contentInput({ orgUnitId: 'org-gz', title: '广州分行话术' }));
  });

  test('a Shanghai manager sees Shanghai content, head office content allowed to Shanghai or to head office, never Guangzhou-only content', async () => {
    const seen = (await usable(tokens.rm)).map((c) => c.id);
    expect(seen).toEqual(expect.arrayContaining([sh, hqForSh, hqAll]));
    expect(seen).not.toContain(gz);
    const gzSeen = (await usable(tokens.rmGz)).map((c) => c.id);
    expect(gzSeen).toEqual(expect.arrayContaining([gz, hqAll]));
    expect(gzSeen).not.toContain(sh);
    expect(gzSeen).not.toContain(hqForSh);
    expect((await bff.call('shareContent', { params: { id: gz }, body: {} }, { token: tokens.rm })).status).toBe(404);
  });

  test('a branch admin lists only their subtree’s content; head office lists all of it', async () => {
    const listed = async (token: string) => (await bff.call('listLibraryContents', { query: { pageSize: '100' } as never }, { token })).body.items.map((c: { id: string }) => c.id);
    const branch = await listed(tokens.branch);
    expect(branch).toContain(sh);
    for (const hidden of [hqForSh, hqAll, gz]) expect(branch).not.toContain(hidden);
    expect(await listed(tokens.admin)).toEqual(expect.arrayContaining([sh, hqForSh, hqAll, gz]));
    expect((await bff.call('getLibraryContent', { params: { id: gz } }, { token: tokens.branch })).status).toBe(404);
  });

  test('a branch admin cannot allow content to a unit outside their subtree', async () => {
    const res = await bff.call('createLibraryContent', { body: contentInput({ unitIds: ['org-sh', 'org-gz'] }) as never }, { token: tokens.branch });
    expect(res.status).toBe(403);
  });
});

describe('sharing and opens', () => {
  let id: string;
  beforeAll(async () => {
    id = await publish(contentInput({ type: 'article', image: '/media/activity-live.svg', title: '家庭资产配置小课堂', summary: '三分钟读懂' }));
  });

  test('a manager’s share opens the content page with their scene; customers who open it are counted once each, for that manager only', async () => {
    const link = await share(tokens.rm, id);
    expect(link.path).toBe(`/packages/content/view/index?id=${id}&scene=${link.scene}`);
    expect((await share(tokens.rm, id)).scene).toBe(link.scene);

    const [a, b] = [await customerSession(bff), await customerSession(bff)];
    const first = await open(a.token, id, link.scene);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, type: 'article', title: '家庭资产配置小课堂', unitName: '示例银行上海分行', image: '/media/activity-live.svg' });
    for (const c of [a, b, a]) expect((await open(c.token, id, link.scene)).status).toBe(200);
    expect(await opensIn(tokens.rm, id)).toBe(2);
    expect(await bff.app.services.capabilities.contentLibrary.service.opens({ contentId: id, rmId: ids.rm })).toBe(2);

    const events = await openedEvents(id);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.payload)).toEqual(expect.arrayContaining([{ contentId: id, rmId: ids.rm, taskId: null, customerId: a.id }]));

    // Another manager’s shares count for them, never in the first manager’s figure.
    const theirs = await share(tokens.rm2, id);
    expect(theirs.scene).not.toBe(link.scene);
    const c = await customerSession(bff);
    await open(c.token, id, theirs.scene);
    await open(a.token, id, theirs.scene);
    expect(await opensIn(tokens.rm2, id)).toBe(2);
    expect(await opensIn(tokens.rm, id)).toBe(2);
  });

  test('an open before consent shows the content and counts nothing; after consent it counts', async () => {
    const link = await share(tokens.rm, id);
    const before = (await opensIn(tokens.rm, id))!;
    const c = await customerSession(bff, { consent: false });
    const res = await open(c.token, id, link.scene);
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('家庭资产配置小课堂');
    expect(await opensIn(tokens.rm, id)).toBe(before);
    expect((await openedEvents(id)).some((e) => e.payload.customerId === c.id)).toBe(false);
    await consent(bff, c.token);
    await open(c.token, id, link.scene);
    expect(await opensIn(tokens.rm, id)).toBe(before + 1);
  });

  test('without a scene, or with a scene of other content, the content shows and is counted for nobody', async () => {
    const other = await publish(contentInput({ title: '另一条话术' }));
    const otherScene = (await share(tokens.rm, other)).scene;
    const before = (await opensIn(tokens.rm, id))!;
    const c = await customerSession(bff);
    expect((await open(c.token, id)).status).toBe(200);
    expect((await open(c.token, id, otherScene)).status).toBe(200);
    expect((await open(c.token, id, 'unknownScene1')).status).toBe(200);
    expect(await opensIn(tokens.rm, id)).toBe(before);
    expect(await opensIn(tokens.rm, other)).toBe(0);
  });

  test('a share made for a marketing task counts its opens for the task too', async () => {
    const service = bff.app.services.capabilities.contentLibrary.service;
    const task = `task-${randomBytes(3).toString('hex')}`;
    const link = await service.share(ids.rm, id, task);
    expect(link.path).toContain(`id=${id}`);
    const before = await service.opens({ contentId: id, rmId: ids.rm });
    const c = await customerSession(bff);
    await open(c.token, id, link.scene);
    await open(c.token, id, link.scene);
    expect(await service.opens({ contentId: id, rmId: ids.rm, taskId: task })).toBe(1);
    expect(await service.opens({ contentId: id, rmId: ids.rm })).toBe(before + 1);
    const event = (await openedEvents(id)).find((e) => e.payload.customerId === c.id);
    expect(event?.payload).toEqual({ contentId: id, rmId: ids.rm, taskId: task, customerId: c.id });
    await expect(service.share(ids.rmGz, id, task)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('twenty simultaneous opens by one customer over two processes', () => {
  let a: BffProcess;
  let b: BffProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
  }, SPAWN_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all([a, b].map((p) => p?.exited));
  });

  test('count once', async () => {
    const id = await publish(contentInput({ title: '并发打开' }));
    const { scene } = await share(tokens.rm, id);
    const c = await customerSession(bff);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => checkedFetch(`${(i % 2 ? a : b).url}/api/v1/content/${id}?scene=${scene}`, { headers: { Authorization: `Bearer ${c.token}` } })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await opensIn(tokens.rm, id)).toBe(1);
    expect(await openedEvents(id)).toHaveLength(1);
  });
});

describe('no longer available', () => {
  const UNAVAILABLE = { code: 'CONTENT_UNAVAILABLE', message: '该内容已过期或已下线' };

  test('withdrawn content stops opening, with a clear refusal, and leaves the managers’ list', async () => {
    const id = await publish(contentInput({ title: '即将下线' }));
    const { scene } = await share(tokens.rm, id);
    const c = await customerSession(bff);
    expect((await open(c.token, id, scene)).status).toBe(200);
    expect((await bff.call('withdrawLibraryContent', { params: { id }, body: { reason: '产品已停售' } }, { token: tokens.admin })).status).toBe(200);
    const res = await open(c.token, id, scene);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject(UNAVAILABLE);
    expect((await usable(tokens.rm)).map((x) => x.id)).not.toContain(id);
  });

  test('content not yet valid is refused as unavailable; an id naming nothing is not found, in the same words', async () => {
    const now = bff.clock.now().getTime();
    const later = await publish(contentInput({ startAt: iso(now + 24 * HOUR), endAt: iso(now + 48 * HOUR) }));
    const c = await customerSession(bff);
    const res = await open(c.token, later);
    expect([res.status, res.body.code, res.body.message]).toEqual([410, UNAVAILABLE.code, UNAVAILABLE.message]);
    const unknown = await open(c.token, 'no-such-content');
    expect([unknown.status, unknown.body.code, unknown.body.message]).toEqual([404, 'NOT_FOUND', UNAVAILABLE.message]);
  });

  test('expired content stops opening once its validity ends', async () => {
    const now = bff.clock.now().getTime();
    const id = await publish(contentInput({ endAt: iso(now + HOUR) }));
    const { scene } = await share(tokens.rm, id);
    const c = await customerSession(bff);
    expect((await open(c.token, id, scene)).status).toBe(200);
    bff.clock.advance(2 * HOUR);
    // A session of today's clock: the earlier one may have lapsed meanwhile.
    const res = await open((await customerSession(bff)).token, id, scene);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject(UNAVAILABLE);
    expect((await bff.call('shareContent', { params: { id }, body: {} }, { token: await staffToken(bff, 'rm') })).status).toBe(404);
  });
});
