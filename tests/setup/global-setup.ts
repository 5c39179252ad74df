import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeProvider } from '../../fake-provider/server';
import { createFakeWechat } from '../../fake-wechat/server';
import { ensureFerretdb, startFerretdb } from '../../scripts/lib/ferretdb';
import { freePort } from '../../scripts/lib/ports';
import { TEST_PROVIDER_KEY, TEST_WECHAT } from '../helpers/constants';

/**
 * Starts what every test file shares, once: the database (FerretDB on a free port, or the
 * MongoDB in MONGODB_URI) the fake WeChat server and the fake top-up partner. Workers read the addresses from env.
 */
export default async function globalSetup(): Promise<void> {
  const shared = globalThis as unknown as Record<string, unknown>;
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
  } else {
    ensureFerretdb((line) => console.log(`\n${line}`));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bank-test-db-'));
    const db = await startFerretdb({ port: await freePort(), dataDir });
    shared.__FERRETDB__ = db;
    process.env.TEST_MONGODB_URI = db.uri;
    process.env.TEST_FERRETDB_DIR = dataDir;
  }
  const wechat = createFakeWechat(TEST_WECHAT);
  shared.__FAKE_WECHAT__ = wechat;
  process.env.TEST_WECHAT_URL = await wechat.listen(0);
  const provider = createFakeProvider({ apiKey: TEST_PROVIDER_KEY });
  shared.__FAKE_PROVIDER__ = provider;
  process.env.TEST_PROVIDER_URL = await provider.listen(0);
}
