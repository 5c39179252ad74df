import type { Api, OperationId, RequestOf } from '../../shared/api';
import { wireRequest } from '../../shared/api/client';
import { randomBytes } from 'node:crypto';
import { mkdirSync, createWriteStream } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, prepareDatabase } from '../../bff/src/app';
import { loadConfig, type Config } from '../../bff/src/config';
import { manualClock, type Clock } from '../../bff/src/platform/clock';
import { connectDatabase, type Database } from '../../bff/src/platform/db';
import { createLogger } from '../../bff/src/platform/logger';
import { startWorkers } from '../../bff/src/platform/module';
import type { Faults } from '../../bff/src/platform/faults';
import { TEST_PROVIDER_KEY, TEST_WECHAT } from './constants';
import { contractOf } from './contract';
import { findPersonalData } from '../../shared/pii';

/**
 * Every event this test's BFF kept for the bank, checked as the bank's data-loss check would:
 * across the whole suite, no mobile, ID or card number in any field of any event.
 */
async function personalDataKept(db: Database): Promise<string[]> {
  const [domain, behaviour] = await Promise.all([db.collection('outbox_events').find({}).toArray(), db.collection('behaviour_events').find({}).toArray()]);
  return [
    ...domain.map((d) => ({ id: String(d._id), found: findPersonalData({ name: d.name, subjectId: d.subjectId, payload: d.payload }, { identifiers: 'lenient' }) })),
    ...behaviour.map((d) => ({ id: String(d._id), found: findPersonalData({ page: d.page, activityId: d.activityId, itemId: d.itemId, props: d.props }) })),
  ].flatMap(({ id, found }) => (found ? [`${id}: ${found.path} (${found.kind})`] : []));
}

export const REPORTS_DIR = path.resolve(__dirname, '../../reports');

/** A database name of its own for each test file (FerretDB allows [A-Za-z0-9_-], up to 63). */
export function uniqueDbName(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: process.env.TEST_MONGODB_URI,
    WECHAT_API_BASE: process.env.TEST_WECHAT_URL,
    WECHAT_APPID: TEST_WECHAT.appid,
    WECHAT_SECRET: TEST_WECHAT.secret,
    MALL_PROVIDER_URL: process.env.TEST_PROVIDER_URL,
    MALL_PROVIDER_KEY: TEST_PROVIDER_KEY,
    LOG_LEVEL: 'info',
    ...overrides,
  });
}

export type TestBff = {
  url: string;
  db: Database;
  clock: ReturnType<typeof manualClock>;
  app: ReturnType<typeof createApp>;
  /** Everything the BFF logged, as written. */
  logText(): string;
  request<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /**
   * One operation of the contract, by operationId, its request typed from shared/contracts:
   * `bff.call('openLifeService', { params: { id } }, { token })`. Use `request` only to send
   * what the contract does not allow (a hostile client's bodies, unknown paths).
   */
  call<K extends OperationId>(
    operationId: K,
    request?: RequestOf<Api[K]>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
};

/**
 * Starts a real BFF on a free port against its own database, with a clock the test controls.
 * With `workers`, its modules' workers run as in `npm start` (the event feed's reactions, delivery
 * to the bank); without, a test runs them itself when it means to (helpers/feed.ts, helpers/delivery.ts).
 */
export async function startBff(label: string, options: { env?: NodeJS.ProcessEnv; clock?: Clock; dbName?: string; faults?: Faults; workers?: boolean } = {}): Promise<TestBff> {
  const config = testConfig(options.env);
  const dbName = options.dbName ?? uniqueDbName(label);
  const db = await connectDatabase(config.mongodbUri, { dbName });
  const clock = (options.clock as ReturnType<typeof manualClock>) ?? manualClock();
  const lines: string[] = [];
  mkdirSync(path.join(REPORTS_DIR, 'logs'), { recursive: true });
  const file = createWriteStream(path.join(REPORTS_DIR, 'logs', `${dbName}.log`));
  const destination = new Writable({
    write(chunk, _enc, cb) {
      // Done at once, so a line is readable as soon as the request that logged it has answered.
      lines.push(chunk.toString());
      file.write(chunk);
      cb();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const app = createApp({ config, db, clock, faults: options.faults, logger });
  await prepareDatabase(app.services);
  const stopWorkers = options.workers ? startWorkers(app.services.modules, logger) : async () => undefined;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // Longer than any test keeps the event loop busy (an OpenAPI validator run with execFileSync takes
  // seconds): past Node's 5 s default the server closes an idle socket that fetch, whose own idle timer
  // could not run meanwhile, then reuses and gets ECONNRESET. stop() closes every connection anyway.
  server.keepAliveTimeout = 60_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const bff: TestBff = {
    url,
    db,
    clock,
    app,
    logText: () => lines.join(''),
    async request(method, p, { body, token, headers = {}, rawBody } = {}) {
      const res = await fetch(url + p, {
        method,
        headers: {
          ...(body !== undefined || rawBody !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the test sees the text
      }
      (await contractOf(url))(method, url + p, res.status, res.headers.get('Content-Type'), parsed);
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    call(operationId, request, { token, headers = {} } = {}) {
      const wire = wireRequest(operationId, request);
      const text = typeof wire.body === 'string';
      return bff.request(wire.method.toUpperCase(), `/api/v1${wire.path}`, {
        token,
        headers: { ...wire.headers, ...(text ? { 'Content-Type': 'text/csv' } : {}), ...headers },
        ...(text ? { rawBody: wire.body as string } : { body: wire.body }),
      });
    },
    async stop() {
      await stopWorkers();
      const leaks = await personalDataKept(db).catch(() => []);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A database named by the caller may be shared with another BFF still running: only our own is dropped.
      if (!options.dbName) await db.dropDatabase().catch(() => undefined);
      await db.close();
      await new Promise<void>((resolve) => file.end(() => resolve()));
      if (leaks.length) throw new Error(`events kept for the bank hold personal data:\n${leaks.slice(0, 10).join('\n')}`);
    },
  };
  return bff;
}
