import { rmSync } from 'node:fs';
import type { FakeProvider } from '../../fake-provider/server';
import type { FakeWechat } from '../../fake-wechat/server';
import type { RunningFerretdb } from '../../scripts/lib/ferretdb';

export default async function globalTeardown(): Promise<void> {
  const shared = globalThis as unknown as { __FERRETDB__?: RunningFerretdb; __FAKE_WECHAT__?: FakeWechat; __FAKE_PROVIDER__?: FakeProvider };
  await shared.__FAKE_WECHAT__?.close();
  await shared.__FAKE_PROVIDER__?.close();
  await shared.__FERRETDB__?.stop();
  if (process.env.TEST_FERRETDB_DIR) rmSync(process.env.TEST_FERRETDB_DIR, { recursive: true, force: true });
}
