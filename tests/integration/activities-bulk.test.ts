import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput } from '../helpers/activities';

let bff: TestBff;
let admin: string;
beforeAll(async () => {
  bff = await startBff('actbulk');
  await seedDemo(bff);
  admin = await staffToken(bff, 'admin');
});
afterAll(() => bff.stop());

const listCodes = async () => (await bff.call('listActivities', { query: { pageSize: '200' } }, { token: admin })).body.items.map((a: { code: string }) => a.code);

describe('POST /api/v1/admin/activities/bulk', () => {
  test('when any row is invalid, nothing is saved and every bad row is reported with field and reason', async () => {
    const good = activityInput(bff, { code: 'BULK-GOOD-1' });
    const rows = [
      good,
      { ...activityInput(bff, { code: 'BULK-BAD-1' }), title: '' },
      { ...activityInput(bff, { code: 'BULK-BAD-2' }), type: 'lottery' },
      activityInput(bff, { code: 'BULK-GOOD-1' }),
    ];
    const res = await bff.request('POST', '/api/v1/admin/activities/bulk', { token: admin, body: { items: rows } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('BULK_UPLOAD_INVALID');
    const paths = res.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['items.1.title', 'items.2.type', 'items.3.code']));
    expect(await listCodes()).not.toContain('BULK-GOOD-1');
  });

  test('a valid upload creates; the same upload again changes nothing; a changed row makes a new revision', async () => {
    const rows = [1, 2, 3].map((n) => activityInput(bff, { code: `BULK-OK-${n}`, title: `批量活动${n}` }));
    const first = await bff.call('bulkUploadActivities', { body: { items: rows } }, { token: admin });
    expect(first.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, dryRun: false });
    const again = await bff.call('bulkUploadActivities', { body: { items: rows } }, { token: admin });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, dryRun: false });
    const changed = await bff.call('bulkUploadActivities', { body: { items: [{ ...rows[0], title: '批量活动1（改）' }, rows[1]] } }, { token: admin });
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 1, dryRun: false });
    expect(await bff.db.collection('activity_revisions').countDocuments()).toBe(4);
  });
});

describe('POST /api/v1/admin/activities/bulk-csv', () => {
  const header = 'code,type,orgUnitId,title,description,rules,schedule.startAt,schedule.endAt,budget.maxRewards,reward,settings';
  const row = (code: string, title: string) => {
    const a = activityInput(bff) as { schedule: { startAt: string; endAt: string } };
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    return [
      code,
      'task',
      'org-sh',
      quote(title),
      quote('说明, 含逗号'),
      quote('规则第一条\n规则第二条'),
      a.schedule.startAt,
      a.schedule.endAt,
      '100',
      quote('{"kind":"points","amount":5}'),
      quote('{"task":"view","frequency":"daily"}'),
    ].join(',');
  };

  test('UTF-8 with a BOM and CRLF lines is accepted, and re-uploading the file is a no-op', async () => {
    const csv = '\ufeff' + [header, row('CSV-1', '表格活动一'), row('CSV-2', '表格活动二')].join('\r\n') + '\r\n';
    const send = () => bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, rawBody: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
    expect((await send()).body).toMatchObject({ created: 2, updated: 0, unchanged: 0, dryRun: false });
    expect((await send()).body).toMatchObject({ created: 0, updated: 0, unchanged: 2, dryRun: false });
    const list = (await bff.call('listActivities', { query: { pageSize: '200' } }, { token: admin })).body.items;
    const one = list.find((a: { code: string }) => a.code === 'CSV-1');
    expect(one.working).toMatchObject({ title: '表格活动一', description: '说明, 含逗号', rules: '规则第一条\n规则第二条', budget: { maxRewards: 100 } });
  });

  test('a CSV with a bad row saves nothing and names the row', async () => {
    const csv = [header, row('CSV-3', '好的一行'), row('CSV-4', '').replace(',task,', ',unknown,')].join('\n');
    const res = await bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, rawBody: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('items.1.type');
    expect(await listCodes()).not.toContain('CSV-3');
  });

  test('a column named after an object’s prototype is only data: nothing outside the row is touched', async () => {
    const csv = [`${header},__proto__.polluted,constructor.prototype.polluted`, `${row('CSV-PROTO', '原型列')},yes,yes`].join('\n');
    const res = await bff.call('bulkUploadActivitiesCsv', { query: { dryRun: 'true' }, body: csv }, { token: admin });
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    // A dotted column into a cell that is not an object is a reported row, not a crash.
    const clash = await bff.call(
      'bulkUploadActivitiesCsv',
      { query: { dryRun: 'true' }, body: [`${header},reward.kind`, `${row('CSV-CLASH', '冲突列')},points`].join('\n') },
      { token: admin },
    );
    expect(clash.status).toBe(200);
    expect(clash.body.rows).toEqual([expect.objectContaining({ code: 'CSV-CLASH', action: 'create' })]);
  });

  test('the CSV endpoint refuses JSON', async () => {
    const res = await bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, body: { items: [] } });
    expect(res.status).toBe(415);
  });
});

describe('the console’s preview and list', () => {
  test('a dry run reports each row’s outcome and saves nothing', async () => {
    const rows = [activityInput(bff, { code: 'DRY-1' }), activityInput(bff, { code: 'BULK-OK-2', title: '批量活动2' })];
    const res = await bff.call('bulkUploadActivities', { query: { dryRun: 'true' }, body: { items: rows } }, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      created: 1,
      rows: [
        { index: 0, code: 'DRY-1', action: 'create' },
        { index: 1, code: 'BULK-OK-2' },
      ],
    });
    expect(await listCodes()).not.toContain('DRY-1');
  });

  test('the list pages on the server and filters by state, type, unit, text and time', async () => {
    const get = async (query: string) => (await bff.request('GET', `/api/v1/admin/activities?${query}`, { token: admin })).body;
    const all = await get('pageSize=200');
    expect(all.total).toBe(all.items.length);
    const first = await get('pageSize=2&page=1');
    const second = await get('pageSize=2&page=2');
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: all.total });
    expect(first.items.map((a: { code: string }) => a.code)).toEqual(all.items.slice(0, 2).map((a: { code: string }) => a.code));
    expect(second.items.map((a: { code: string }) => a.code)).toEqual(all.items.slice(2, 4).map((a: { code: string }) => a.code));
    const drafts = await get('state=draft&pageSize=200');
    expect(drafts.items.length).toBeGreaterThan(0);
    expect(drafts.items.every((a: { state: string }) => a.state === 'draft')).toBe(true);
    expect((await get('q=批量活动1&pageSize=200')).items.map((a: { code: string }) => a.code)).toEqual(['BULK-OK-1']);
    expect((await get('type=quiz&pageSize=200')).items.every((a: { type: string }) => a.type === 'quiz')).toBe(true);
    expect((await get('from=2001-01-01T00:00:00%2B08:00&to=2001-02-01T00:00:00%2B08:00')).total).toBe(0);
    const foreign = await bff.call('listActivities', { query: { orgUnitId: 'org-gz' } }, { token: await staffToken(bff, 'admin-sh') });
    expect(foreign.status).toBe(403);
  });
});
