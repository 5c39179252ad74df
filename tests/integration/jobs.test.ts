import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { armedFaults } from '../helpers/faults';
import { jobNameZh } from '../../shared/job-names';

let bff: TestBff;
const faults = armedFaults();
beforeAll(async () => {
  bff = await startBff('jobs', { faults });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const report = async (token: string) => (await bff.call('getJobsReport', {}, { token })).body;

describe('recovery that one stuck item cannot stop (GET /api/v1/admin/jobs)', () => {
  test('a job that fails is counted and the others still run; an order the sweep cannot move is counted, then parked, while the others are settled', async () => {
    const admin = await staffToken(bff, 'admin');
    const long = new Date(bff.clock.now().getTime() - 60 * 60 * 1000);
    // An order the sweep cannot move (its record is damaged), and a marker whose order never came to be.
    await bff.db.collection('mall_orders').insertOne({ _id: 'MO-damaged', status: 'processing', createdAt: long } as never);
    await bff.db.collection('mall_open_orders').insertMany([
      { _id: 'MO-damaged', createdAt: long },
      { _id: 'MO-never-written', createdAt: long },
    ] as never[]);

    // A whole job failing (as a draw that could not finish once failed every pass): the next jobs run regardless.
    faults.arm('job:mall.orders', 'error');
    const first = await bff.app.services.maintenance.runOnce();
    expect(first['mall.orders']).toEqual({ failed: 'injected failure at job:mall.orders' });
    expect(first['mall.stockAdjustments']).toBeDefined();
    expect(first['delivery.gaps']).toBeDefined();
    let seen = await report(admin);
    expect(seen.jobs.find((j: { name: string }) => j.name === 'mall.orders')).toMatchObject({ failuresInARow: 1, failures: 1, lastError: 'injected failure at job:mall.orders' });

    const runs = [];
    for (let i = 0; i < 6; i += 1) runs.push((await bff.app.services.maintenance.runOnce())['mall.orders']);
    // The never-written order is closed at once; the damaged one fails five times in a row, then is parked.
    expect(runs[0]).toMatchObject({ abandoned: 1, unfinished: 1, parked: 0 });
    expect(runs[4]).toMatchObject({ abandoned: 0, unfinished: 1, parked: 0 });
    expect(runs[5]).toMatchObject({ unfinished: 0, parked: 1 });
    seen = await report(admin);
    expect(seen.jobs.find((j: { name: string }) => j.name === 'mall.orders')).toMatchObject({ failuresInARow: 0, failures: 1 });
    expect(seen.items).toEqual([expect.objectContaining({ job: 'mall.orders', key: 'MO-damaged', failures: 5, parked: true })]);

    // Only head office sees it; releasing is audited and lets the item be tried again.
    expect((await bff.call('getJobsReport', {}, { token: await staffToken(bff, 'admin-sh') })).status).toBe(403);
    expect((await bff.call('releaseJobItem', { body: { job: 'mall.orders', key: 'nothing' } }, { token: admin })).status).toBe(404);
    expect((await bff.call('releaseJobItem', { body: { job: 'mall.orders', key: 'MO-damaged' } }, { token: admin })).status).toBe(204);
    expect((await bff.app.services.maintenance.runOnce())['mall.orders']).toMatchObject({ unfinished: 1, parked: 0 });
    const audit = await bff.call('listAuditRecords', { query: { action: 'job.item_released' } }, { token: admin });
    expect(audit.body.items).toEqual([expect.objectContaining({ targetId: 'mall.orders|MO-damaged' })]);
  });

  test('every job the books report has a name operations staff read in Chinese', async () => {
    const admin = await staffToken(bff, 'admin');
    await bff.app.services.maintenance.runOnce();
    const { jobs } = await report(admin);
    expect(jobs.length).toBeGreaterThan(40);
    expect(jobs.map((j: { name: string }) => j.name).filter((name: string) => !/^[\u4e00-\u9fa5：，]+$/.test(jobNameZh(name) ?? ''))).toEqual([]);
    expect(jobNameZh('feed.triggers')).toBe('事件订阅：事件营销');
    expect(jobNameZh('feed.someone-new')).toBeNull();
  });
});
