import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createFakeBank, type FakeBank } from '../../fake-bank/server';
import type { TestBff } from './bff';

export const WEBHOOK_SECRET = 'test-bank-webhook-secret-0123456789abcdef';

const banks: FakeBank[] = [];
// Whatever a test file delivered, no mobile, ID or card number reached the bank in any field.
afterAll(() => {
  for (const bank of banks) expect(bank.personalData()).toEqual([]);
});

/** A fake bank receiver on loopback, and the environment that points a BFF at it (plus an NDJSON folder). */
export async function fakeBankFor(now?: () => number): Promise<{ bank: FakeBank; url: string; exportDir: string; env: NodeJS.ProcessEnv }> {
  const bank = createFakeBank({ secret: WEBHOOK_SECRET, now });
  banks.push(bank);
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

export const pageView = (bff: TestBff, overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: 'page_view',
  clientTime: bff.clock.now().toISOString(),
  page: 'pages/index/index',
  ...overrides,
});

/** Sends `count` page views for a customer, in batches of 100. */
export async function sendEvents(bff: TestBff, token: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const events = Array.from({ length: Math.min(100, count - i) }, () => pageView(bff));
    const res = await bff.call('trackEvents', { body: { events } }, { token });
    if (res.status !== 200) throw new Error(`events refused: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Ids of everything the BFF kept for the bank: behaviour events and domain events. */
export async function keptIds(bff: TestBff): Promise<string[]> {
  const [behaviour, domain] = await Promise.all([
    bff.db.collection('behaviour_events').find({}).project({ _id: 1 }).toArray(),
    bff.db.collection('outbox_events').find({}).project({ _id: 1 }).toArray(),
  ]);
  return [...behaviour, ...domain].map((d) => String(d._id));
}

/** Runs the publisher and relay of these BFFs together until nothing is promised or waiting, moving the clock between rounds. */
export async function drainDelivery(bffs: TestBff[], options: { rounds?: number; stepMs?: number } = {}): Promise<{ delivered: number[]; rounds: number }> {
  const delivered = bffs.map(() => 0);
  for (let round = 1; round <= (options.rounds ?? 400); round += 1) {
    // Another process asks first each round, as the timers of two machines would fall.
    const order = bffs.map((_, i) => (i + round) % bffs.length);
    const runs = await Promise.all(order.map((i) => bffs[i].app.services.capabilities.delivery.relay.runOnce()));
    runs.forEach((r, k) => (delivered[order[k]] += r.delivered));
    const status = await bffs[0].app.services.capabilities.delivery.operations.status();
    if (status.publishing.intents === 0 && status.sinks.every((s) => s.pending === 0)) return { delivered, rounds: round };
    // Not a whole lease, so rounds fall at every point of a lease period, as real time does.
    bffs[0].clock.advance(options.stepMs ?? 700);
  }
  throw new Error('delivery did not drain');
}

/** Each customer's events in the order they first reached the bank: their numbers must rise. */
export function outOfOrder(bank: FakeBank): string[] {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  const problems: string[] = [];
  for (const a of bank.arrivals()) {
    if (seen.has(a.id) || a.customerId === null || a.seq === null) continue;
    seen.add(a.id);
    if ((last.get(a.customerId) ?? 0) >= a.seq) problems.push(`${a.customerId}: ${a.seq} after ${last.get(a.customerId)}`);
    last.set(a.customerId, a.seq);
  }
  return problems;
}

/** Customers whose numbers, over everything received, are not exactly 1..n. */
export function sequenceGaps(bank: FakeBank): string[] {
  const byCustomer = new Map<string, number[]>();
  for (const e of bank.events().values()) if (e.customerId && e.seq !== null) byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e.seq]);
  return [...byCustomer].filter(([, seqs]) => seqs.sort((a, b) => a - b).some((s, i) => s !== i + 1)).map(([c, seqs]) => `${c}: ${seqs.join(',')}`);
}
