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

const listCodes = async () => (await bff.request('GET', '/api/v1/admin/activities', { token: admin })).body.items.map((a: { code: string }) => a.code);

describe('POST /api/v1/admin/activities/bulk', () => {
  test('when any row is invalid, nothing is saved and every bad row is reported with field and reason', async () => {
    const good = activityInput(bff, { code: 'BULK-GOOD-1' });
    const rows = [good, { ...activityInput(bff, { code: 'BULK-BAD-1' }), title: '' }, { ...activityInput(bff, { code: 'BULK-BAD-2' }), type: 'lottery' }, activityInput(bff, { code: 'BULK-GOOD-1' })];
    const res = await bff.request('POST', '/api/v1/admin/activities/bulk', { token: admin, body: { items: rows } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('BULK_UPLOAD_INVALID');
    const paths = res.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['items.1.title', 'items.2.type', 'items.3.code']));
    expect(await listCodes()).not.toContain('BULK-GOOD-1');
  });

  test('a valid upload creates; the same upload again changes nothing; a changed row makes a new revision', async () => {
    const rows = [1, 2, 3].map((n) => activityInput(bff, { code: `BULK-OK-${n}`, title: `批量活动${n}` }));
    const first = await bff.request('POST', '/api/v1/admin/activities/bulk', { token: admin, body: { items: rows } });
    expect(first.body).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const again = await bff.request('POST', '/api/v1/admin/activities/bulk', { token: admin, body: { items: rows } });
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const changed = await bff.request('POST', '/api/v1/admin/activities/bulk', { token: admin, body: { items: [{ ...rows[0], title: '批量活动1（改）' }, rows[1]] } });
    expect(changed.body).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(await bff.db.collection('activity_revisions').countDocuments()).toBe(4);
  });
});

describe('POST /api/v1/admin/activities/bulk-csv', () => {
  const header = 'code,type,orgUnitId,title,description,rules,schedule.startAt,schedule.endAt,budget.maxRewards,reward,settings';
  const row = (code: string, title: string) => {
    const a = activityInput(bff) as { schedule: { startAt: string; endAt: string } };
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    return [code, 'task', 'org-sh', quote(title), quote('说明, 含逗号'), quote('规则第一条\n规则第二条'), a.schedule.startAt, a.schedule.endAt, '100', quote('{"kind":"points","amount":5}'), quote('{"task":"view","frequency":"daily"}')].join(',');
  };

  test('UTF-8 with a BOM and CRLF lines is accepted, and re-uploading the file is a no-op', async () => {
    const csv = '\ufeff' + [header, row('CSV-1', '表格活动一'), row('CSV-2', '表格活动二')].join('\r\n') + '\r\n';
    const send = () => bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, rawBody: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
    expect((await send()).body).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await send()).body).toEqual({ created: 0, updated: 0, unchanged: 2 });
    const list = (await bff.request('GET', '/api/v1/admin/activities', { token: admin })).body.items;
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

  test('the CSV endpoint refuses JSON', async () => {
    const res = await bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, body: { items: [] } });
    expect(res.status).toBe(415);
  });
});
