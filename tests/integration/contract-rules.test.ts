import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput } from '../helpers/activities';
import { bankRows } from '../helpers/quiz';
import { drawInput } from '../helpers/draws';

/**
 * The OpenAPI document says what the server does (issue 27): a request body the document
 * accepts is never refused as malformed (400) or too large (413); it is taken, or refused 422
 * (VALIDATION_RULE_FAILED) by a rule across fields that the document states in words (and, where
 * JSON Schema can, as schema too). A body of the wrong shape is refused 400 (VALIDATION_FAILED)
 * naming the field, as the document refuses it.
 */
let bff: TestBff;
let admin: string;
type Operation = { operationId: string; requestBody?: { content: Record<string, { schema: unknown }> } };
let documented: (operationId: string) => { accepts(body: unknown): boolean; text: string };

beforeAll(async () => {
  bff = await startBff('contractrules');
  await seedDemo(bff);
  admin = await staffToken(bff, 'admin');
  const doc = (await bff.request('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>>; components: unknown };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  documented = (operationId) => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.operationId !== operationId) continue;
        const pointer = ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema']
          .map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1')))
          .join('/');
        const validate = ajv.getSchema(`openapi#/${pointer}`)!;
        return { accepts: (body) => validate(body) as boolean, text: JSON.stringify(op.requestBody) };
      }
    }
    throw new Error(`no operation ${operationId}`);
  };
});
afterAll(() => bff.stop());

/**
 * Sends `body`: the server answers `status`; the document accepts it unless that is 400 or 413;
 * a 422 names `rulePath` and is stated in the document's words as `statement`, and in its schema
 * too when `schemaStatesIt` (the document then refuses the body as the server does).
 */
async function expectAgreement(
  operationId: string,
  method: string,
  path: string,
  body: unknown,
  expected: { status: number; rulePath?: string; statement?: string; schemaStatesIt?: boolean },
) {
  const doc = documented(operationId);
  const res = await bff.request(method, `/api/v1${path}`, { token: admin, body });
  expect({ status: res.status, code: res.body?.code, issues: res.body?.issues }).toMatchObject({ status: expected.status });
  const accepted = doc.accepts(JSON.parse(JSON.stringify(body)));
  if (expected.status === 400 || expected.status === 413) expect(accepted).toBe(false);
  else expect(accepted).toBe(expected.status === 422 ? !expected.schemaStatesIt : true);
  if (expected.status === 422) {
    expect(res.body.code).toBe('VALIDATION_RULE_FAILED');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(expected.rulePath);
    expect({ statement: expected.statement, stated: doc.text.includes(expected.statement!) }).toEqual({ statement: expected.statement, stated: true });
  }
  if (expected.status === 400) {
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(expected.rulePath);
  }
}

describe('PUT /admin/activities/{id}', () => {
  let id: string;
  let input: ReturnType<typeof activityInput>;
  beforeAll(async () => {
    input = activityInput(bff);
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input });
    expect(created.status).toBe(201);
    id = created.body.id;
  });

  test('when the rules text is only spaces, then the document refuses it as the server does (400 naming body.rules)', async () => {
    await expectAgreement('updateActivity', 'PUT', `/admin/activities/${id}`, { ...input, rules: '   ' }, { status: 400, rulePath: 'body.rules' });
  });

  test('when the title is padded with spaces, then the document accepts it as the server does', async () => {
    await expectAgreement('updateActivity', 'PUT', `/admin/activities/${id}`, { ...input, title: '  新标题  ' }, { status: 200 });
  });

  test('when the schedule ends before it starts, then it is 422 naming schedule.endAt, and the document states the rule', async () => {
    const body = { ...input, schedule: { startAt: input.schedule.endAt, endAt: input.schedule.startAt } };
    await expectAgreement('updateActivity', 'PUT', `/admin/activities/${id}`, body, {
      status: 422,
      rulePath: 'body.schedule.endAt',
      statement: 'schedule.endAt after schedule.startAt',
    });
  });

  test('when a draw’s points prize has no points, then it is 422 naming the prize’s points, and the document states the rule', async () => {
    const draw = drawInput(bff);
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: draw });
    expect(created.status).toBe(201);
    const prizes = draw.settings.prizes.map((p: Record<string, unknown>) => (p.kind === 'points' ? { ...p, points: undefined } : p));
    const index = prizes.findIndex((p: Record<string, unknown>) => p.kind === 'points');
    const body = { ...draw, settings: { ...draw.settings, prizes } };
    await expectAgreement('updateActivity', 'PUT', `/admin/activities/${created.body.id}`, body, {
      status: 422,
      rulePath: `body.settings.prizes.${index}.points`,
      statement: 'a points prize has points',
      schemaStatesIt: true,
    });
  });

  test('when an assist’s rules text does not state the friends it needs, then it is 422 naming body.rules, and the document states the rule', async () => {
    const assist = activityInput(bff, { type: 'assist', rules: '集齐好友助力即得积分', reward: { kind: 'points', amount: 5 }, settings: { helpersNeeded: 3, validHours: 48 } });
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: { ...assist, rules: '集齐 3 位好友助力即得积分' } });
    expect(created.status).toBe(201);
    await expectAgreement('updateActivity', 'PUT', `/admin/activities/${created.body.id}`, assist, {
      status: 422,
      rulePath: 'body.rules',
      statement: 'its rules text states the number of friends',
    });
  });
});

describe('PUT /admin/quiz/questions/{id}', () => {
  let id: string;
  let row: Record<string, unknown>;
  beforeAll(async () => {
    row = { ...bankRows(`CR${randomUUID().slice(0, 6)}`)[4] };
    const created = await bff.request('POST', '/api/v1/admin/quiz/questions', { token: admin, body: row });
    expect(created.status).toBe(201);
    id = created.body.id;
  });

  test('when a tag is only spaces, then the document refuses it as the server does (400 naming the tag)', async () => {
    await expectAgreement('updateQuizQuestion', 'PUT', `/admin/quiz/questions/${id}`, { ...row, tags: ['  '] }, { status: 400, rulePath: 'body.tags.0' });
  });

  test('when an answer repeats an option, then it is 422 naming body.answer, and the document states the rule', async () => {
    await expectAgreement(
      'updateQuizQuestion',
      'PUT',
      `/admin/quiz/questions/${id}`,
      { ...row, answer: ['A', 'A'] },
      { status: 422, rulePath: 'body.answer', statement: 'no option twice', schemaStatesIt: true },
    );
  });

  test('when a single-choice question has two answers, then it is 422 naming body.answer, and the document states the rule', async () => {
    await expectAgreement(
      'updateQuizQuestion',
      'PUT',
      `/admin/quiz/questions/${id}`,
      { ...row, format: 'single', answer: ['A', 'C'] },
      { status: 422, rulePath: 'body.answer', statement: 'single and truefalse have one answer', schemaStatesIt: true },
    );
  });
});

describe('POST /admin/triggers/bulk', () => {
  const HOUR = 3_600_000;
  const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
  /** A trigger well inside the document's limits, about 1.5 KB as JSON: a thousand of them pass the app's general 1 MB. */
  const trigger = (i: number) => ({
    code: `TRG-BULK-${i}`,
    type: 'trigger',
    orgUnitId: 'org-hq',
    name: `工资到账送积分第${i}号规则`.padEnd(40, '奖'),
    description: '代发工资到账后一小时内赠送积分'.repeat(13),
    event: { source: 'bank', name: 'salary_credited' },
    conditions: [{ field: 'productCode', op: 'in', value: Array.from({ length: 10 }, (_, k) => `PRODUCT-${k}`) }],
    windowMinutes: 60,
    schedule: { startAt: iso(-HOUR), endAt: iso(7 * 24 * HOUR) },
    action: { kind: 'reward', reward: { kind: 'points', amount: 50 }, budget: { maxRewards: 1000 } },
  });

  test('when a dry run carries the documented most rows, then it is checked, not refused as too large', async () => {
    const body = { items: Array.from({ length: 1000 }, (_, i) => trigger(i)) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(1024 * 1024);
    const doc = documented('bulkUploadTriggers');
    expect(doc.accepts(body)).toBe(true);
    const res = await bff.call('bulkUploadTriggers', { query: { dryRun: 'true' }, body }, { token: admin });
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 200, code: undefined });
    expect(res.body).toMatchObject({ created: 1000, dryRun: true });
  }, 300_000);

  test('when it carries one row more than documented, then it is 400 naming body.items', async () => {
    const body = { items: Array.from({ length: 1001 }, (_, i) => ({ ...trigger(i), description: '代发工资到账送积分' })) };
    expect(documented('bulkUploadTriggers').accepts(body)).toBe(false);
    const res = await bff.call('bulkUploadTriggers', { query: { dryRun: 'true' }, body }, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', issues: [expect.objectContaining({ path: 'body.items' })] });
  });
});
