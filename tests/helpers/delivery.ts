import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createFakeBank, type FakeBank } from '../../fake-bank/server';
import type { TestBff } from './bff';

export const WEBHOOK_SECRET = 'test-bank-webhook-secret-0123456789abcdef';

/** A fake bank receiver on loopback, and the environment that points a BFF at it (plus an NDJSON folder). */
export async function fakeBankFor(now?: () => number): Promise<{ bank: FakeBank; url: string; exportDir: string; env: NodeJS.ProcessEnv }> {
  const bank = createFakeBank({ secret: WEBHOOK_SECRET, now });
  const url = await bank.listen(0);
  const exportDir = mkdtempSync(path.join(tmpdir(), 'bank-export-'));
  return { bank, url, exportDir, env: { BANK_WEBHOOK_URL: `${url}${bank.path}`, BANK_WEBHOOK_SECRET: WEBHOOK_SECRET, BANK_EXPORT_DIR: exportDir } };
}

/** Every event id in the NDJSON export files. */
export function exportedIds(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

export const pageView = (bff: TestBff, overrides: Record<string, unknown> = {}) => ({ id: randomUUID(), type: 'page_view', clientTime: bff.clock.now().toISOString(), page: 'pages/index/index', ...overrides });

/** Sends `count` page views for a customer, in batches of 100. */
export async function sendEvents(bff: TestBff, token: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const events = Array.from({ length: Math.min(100, count - i) }, () => pageView(bff));
    const res = await bff.request('POST', '/api/v1/events', { token, body: { events } });
    if (res.status !== 200) throw new Error(`events refused: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Ids of everything the BFF kept for the bank: behaviour events and domain events. */
export async function keptIds(bff: TestBff): Promise<string[]> {
  const [behaviour, domain] = await Promise.all([bff.db.collection('behaviour_events').find({}).project({ _id: 1 }).toArray(), bff.db.collection('outbox_events').find({}).project({ _id: 1 }).toArray()]);
  return [...behaviour, ...domain].map((d) => String(d._id));
}
