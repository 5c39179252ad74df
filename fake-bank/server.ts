import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signBankRequest } from '../bff/src/platform/auth/bank-signature';
import { jsonServer, readJson, readText, sendJson } from '../fake-wechat/json-http';
import { findPersonalData, type PersonalDataKind } from '../shared/pii';

/** How the fake bank misbehaves, so delivery can be tested against a bank that is not always well. */
type FakeBankMode = {
  /** Every n-th request is answered 503 (0: never). */
  failEvery: number;
  /** Every n-th request has its connection dropped without an answer (0: never). */
  dropEvery: number;
  /** Every request is answered 503. */
  down: boolean;
  /** Milliseconds to wait before answering. */
  slowMs: number;
  /** Event ids the bank refuses: a batch holding one is answered 422 (a poisoned event). */
  refuseIds: string[];
  /** Event ids the bank fails on: a batch holding one is answered 503 while others are taken. */
  failIds: string[];
};

type Received = { id: string; name: string; source: string; customerId: string | null; seq: number | null; body: Record<string, unknown> };
/** Personal data found in what arrived: what a bank's data-loss check would flag. */
type PersonalDataFinding = { eventId: string; path: string; kind: PersonalDataKind };

const MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * The bank's event receiver, as a real HTTP server on loopback: it checks each batch's
 * signature (the scheme the BFF and the bank share: HMAC-SHA256 of method, path, timestamp,
 * nonce and raw body), refuses reused nonces, keeps what it got, and counts repeats of an event
 * id the way a bank dedupes them. `GET /__fake/received` tells what arrived.
 */
export function createFakeBank(options: { secret: string; path?: string; now?: () => number }) {
  const path = options.path ?? '/bank/events';
  const now = options.now ?? Date.now;
  const events = new Map<string, Received>();
  const seenNonces = new Set<string>();
  const stats = { requests: 0, accepted: 0, eventsReceived: 0, duplicates: 0, badSignatures: 0, failed: 0, dropped: 0 };
  const initialMode: FakeBankMode = { failEvery: 0, dropEvery: 0, down: false, slowMs: 0, refuseIds: [], failIds: [] };
  let mode: FakeBankMode = { ...initialMode };
  const batchIds = new Set<string>();
  /** Every event accepted, in the order it arrived, repeats included: the order a customer's events reached the bank. */
  const arrivals: { id: string; customerId: string | null; seq: number | null }[] = [];
  const personalData: PersonalDataFinding[] = [];

  function verify(req: IncomingMessage, body: string): string | null {
    const timestamp = String(req.headers['x-bank-timestamp'] ?? '');
    const nonce = String(req.headers['x-bank-nonce'] ?? '');
    const signature = String(req.headers['x-bank-signature'] ?? '');
    if (!/^\d{10}$/.test(timestamp) || Math.abs(now() - Number(timestamp) * 1000) > MAX_SKEW_MS) return 'stale timestamp';
    if (!nonce || seenNonces.has(nonce)) return 'nonce reused';
    const expected = Buffer.from(signBankRequest(options.secret, { method: req.method ?? '', path: req.url ?? '', timestamp, nonce, body }), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature';
    seenNonces.add(nonce);
    return null;
  }

  async function receive(req: IncomingMessage, res: ServerResponse) {
    stats.requests += 1;
    const n = stats.requests;
    const body = await readText(req);
    if (mode.slowMs) await new Promise((r) => setTimeout(r, mode.slowMs));
    if (mode.dropEvery && n % mode.dropEvery === 0) {
      stats.dropped += 1;
      req.socket.destroy();
      return;
    }
    if (mode.down || (mode.failEvery && n % mode.failEvery === 0)) {
      stats.failed += 1;
      return sendJson(res, 503, { code: 'UNAVAILABLE' });
    }
    const refused = verify(req, body);
    if (refused) {
      stats.badSignatures += 1;
      return sendJson(res, 401, { code: 'SIGNATURE', message: refused });
    }
    const batch = JSON.parse(body) as { batchId: string; events: (Record<string, unknown> & { id: string })[] };
    const refusedEvent = batch.events.find((e) => mode.refuseIds.includes(e.id));
    if (refusedEvent) return sendJson(res, 422, { code: 'EVENT_REFUSED', message: `event ${refusedEvent.id} refused` });
    if (batch.events.some((e) => mode.failIds.includes(e.id))) {
      stats.failed += 1;
      return sendJson(res, 503, { code: 'UNAVAILABLE' });
    }
    stats.accepted += 1;
    batchIds.add(batch.batchId);
    for (const event of batch.events) {
      stats.eventsReceived += 1;
      const customerId = (event.customerId as string | null) ?? null;
      const seq = typeof event.seq === 'number' ? event.seq : null;
      arrivals.push({ id: event.id, customerId, seq });
      // Everything but the event's own id and times, as a bank's data-loss check would read it.
      const found = findPersonalData({ name: event.name, customerId, data: event.data }, { identifiers: 'lenient' });
      if (found) personalData.push({ eventId: event.id, ...found });
      if (events.has(event.id)) stats.duplicates += 1;
      else events.set(event.id, { id: event.id, name: String(event.name), source: String(event.source), customerId, seq, body: event });
    }
    sendJson(res, 200, { received: batch.events.length });
  }

  const server = jsonServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-bank');
    if (req.method === 'POST' && url.pathname === path) return receive(req, res);
    if (req.method === 'GET' && url.pathname === '/__fake/received') {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 1000);
      return sendJson(res, 200, {
        ...stats,
        unique: events.size,
        batches: batchIds.size,
        personalData: personalData.length,
        mode,
        latest: [...events.values()].slice(-limit).map((e) => e.body),
      });
    }
    if (req.method === 'POST' && url.pathname === '/__fake/mode') {
      mode = { ...mode, ...(await readJson(req)) };
      return sendJson(res, 200, mode);
    }
    sendJson(res, 404, { code: 'NOT_FOUND' });
  });

  return {
    ...server,
    path,
    setMode(next: Partial<FakeBankMode>) {
      mode = { ...mode, ...next };
    },
    stats: () => ({ ...stats, unique: events.size, batches: batchIds.size }),
    /** Every distinct event received, by id. */
    events: () => events,
    /** Every accepted event in arrival order, repeats included. */
    arrivals: () => arrivals,
    /** Personal data found in anything that arrived (should stay empty). */
    personalData: () => personalData,
    reset() {
      events.clear();
      batchIds.clear();
      arrivals.length = 0;
      personalData.length = 0;
      Object.assign(stats, { requests: 0, accepted: 0, eventsReceived: 0, duplicates: 0, badSignatures: 0, failed: 0, dropped: 0 });
      mode = { ...initialMode };
    },
  };
}

export type FakeBank = ReturnType<typeof createFakeBank>;
