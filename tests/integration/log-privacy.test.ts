import { startBff, type TestBff } from '../helpers/bff';
import { wechatCode } from '../helpers/wechat';
import { DEMO_PASSWORD, seedDemo } from '../helpers/seed';
import { Writable } from 'node:stream';
import { createLogger } from '../../bff/src/platform/logger';
import { describeError } from '../../bff/src/platform/http/middleware';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('logprivacy');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

describe('structured logs', () => {
  test('a full session leaves no phone number, token, code or openid in the log', async () => {
    const { code, openid } = await wechatCode({ openid: 'o_demo_customer_01' });
    const session = (await bff.call('loginWithWechat', { body: { code } })).body;
    await bff.call('getMyProfile', {}, { token: session.accessToken });
    const rotated = (await bff.call('refreshSession', { body: { refreshToken: session.refreshToken } })).body;
    await bff.call('refreshSession', { body: { refreshToken: session.refreshToken } }); // reuse: security path
    const staff = (await bff.call('loginStaff', { body: { username: 'admin', password: DEMO_PASSWORD } })).body;
    await bff.call('loginStaff', { body: { username: 'admin', password: 'wrong-password' } });
    await bff.call('listStaff', {}, { token: staff.accessToken });
    await bff.request('GET', `/api/v1/me?phone=13812345678&token=${session.accessToken}`, { token: session.accessToken });
    await bff.request('POST', '/api/v1/auth/wechat', { rawBody: `{"code": "${code}"` }); // malformed, with the code inside

    const log = bff.logText();
    expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(8); // the requests were logged...
    for (const secret of [
      '13812345678',
      '张三',
      '310101199001011234',
      openid,
      code,
      session.accessToken,
      session.refreshToken,
      rotated.refreshToken,
      staff.accessToken,
      DEMO_PASSWORD,
      'wrong-password',
    ]) {
      expect(log).not.toContain(secret); // ...and none of these made it in
    }
    // Each line is JSON with the request id, so a dispute can be traced without personal data.
    const lines = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.msg === 'request').every((l) => typeof l.requestId === 'string')).toBe(true);
  });

  test('a database error is logged without the key values its message quotes; secrets are dropped at any depth', async () => {
    await bff.db.collection('log_probe').insertOne({ _id: 'openid:wx:o_secret_openid_42' as never });
    const ferret = await bff.db
      .collection('log_probe')
      .insertOne({ _id: 'openid:wx:o_secret_openid_42' as never })
      .catch((e: Error) => e);
    // MongoDB in production words the same error with the key in it.
    const mongo = Object.assign(new Error('E11000 duplicate key error collection: bank.wechat_identities index: _id_ dup key: { _id: "openid:wx:o_secret_openid_42" }'), {
      name: 'MongoServerError',
      code: 11000,
    });
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (chunk, _e, cb) => (lines.push(chunk.toString()), cb()) }) });
    for (const err of [ferret, mongo]) logger.error({ err: describeError(err) }, 'request failed');
    logger.info({ request: { body: { customer: { phone: '13812345678', profile: { idNumber: '310101199001011234', name: '张三' } } } } }, 'nested');
    const log = lines.join('');
    expect(log.match(/E11000/g)).toHaveLength(4); // message and stack of each
    expect(log).toContain('"errorCode":11000');
    for (const secret of ['o_secret_openid_42', '13812345678', '310101199001011234', '张三']) expect(log).not.toContain(secret);
  });

  test('ID numbers are stored as a keyed hash and a masked form, never as given', async () => {
    const doc = await bff.db.collection('customers').findOne({ _id: 'cust-demo-1' as never });
    expect(doc).toMatchObject({ idNumberMasked: '3****************4', idNumberHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(doc)).not.toContain('310101199001011234');
    expect(JSON.stringify(await bff.db.collection('customers').find({}).toArray())).not.toMatch(/3101011990|4401011985/);
  });
});
