// Delivery to the bank: 10,000 behaviour events from 200 customers, kept through POST /events,
// then published and relayed to the fake bank until it holds them all, with the bank healthy
// and failing every third request; against the same 10,000 events posted straight to the bank
// (signed batches of 100, eight at a time, a failed post sent again), in the same run.
import { randomUUID } from 'node:crypto';
import { createFakeBank, type FakeBank } from '../fake-bank/server';
import { createApp } from '../bff/src/app';
import { loadConfig } from '../bff/src/config';
import { BANK_HEADERS } from '../shared/signed-requests';
import { signBankRequest } from '../bff/src/platform/auth/bank-signature';
import { connectDatabase } from '../bff/src/platform/db';
import { createLogger } from '../bff/src/platform/logger';
import { startBenchStack, timed, type BenchStack } from './stack';

const SECRET = 'bench-bank-webhook-secret-0123456789abcdef';
const CUSTOMERS = Number(process.env.BENCH_DELIVERY_CUSTOMERS ?? 200);
// Events go in as a tracker sends them: small batches (25).
const PER_CUSTOMER = Number(process.env.BENCH_DELIVERY_EVENTS_PER_CUSTOMER ?? 50);
const BATCH = 25;

const pageViews = (count: number) =>
  Array.from({ length: count }, () => ({ id: randomUUID(), type: 'page_view', clientTime: new Date().toISOString(), page: 'pages/index/index' }));

/**
 * A publisher and relay on the bench database in this process (the BFF's own timer is held
 * back), kept for the whole scenario: a fresh one would wait out the old one's leases.
 */
export async function openRelay(stack: BenchStack, bankUrl: string) {
  const db = await connectDatabase(stack.uri, { poolSize: 50 });
  const config = loadConfig({
    NODE_ENV: 'development',
    MONGODB_URI: stack.uri,
    BANK_WEBHOOK_URL: bankUrl,
    BANK_WEBHOOK_SECRET: SECRET,
    RELAY_BACKOFF_BASE_MS: '50',
    RELAY_BACKOFF_MAX_MS: '1000',
  });
  const delivery = createApp({ config, db, logger: createLogger({ level: 'warn' }) }).services.capabilities.delivery;
  return {
    /** Runs until the bank holds `expected` more events; the publisher first alone, timed apart. */
    async drain(bank: FakeBank, expected: number): Promise<{ events: number; seconds: number; eventsPerSecond: number; publishSeconds: number }> {
      const start = bank.stats().unique;
      const started = Date.now();
      for (let run = await delivery.publisher.runOnce(); run.intents > 0 || run.waiting > 0; run = await delivery.publisher.runOnce());
      const publishSeconds = (Date.now() - started) / 1000;
      while (bank.stats().unique - start < expected) {
        if (Date.now() - started > 30 * 60 * 1000) throw new Error(`the relay delivered ${bank.stats().unique - start} of ${expected} in 30 minutes`);
        const run = await delivery.relay.runOnce();
        // Backing off after a failure: wait a little rather than spin.
        if (run.delivered === 0) await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (Date.now() - started) / 1000;
      const events = bank.stats().unique - start;
      return { events, seconds: +seconds.toFixed(2), eventsPerSecond: +(events / seconds).toFixed(1), publishSeconds: +publishSeconds.toFixed(2) };
    },
    close: () => db.close(),
  };
}

/** The same number of events posted straight to the bank, signed, 100 a batch, 8 at a time, each failed post sent again. */
async function postDirect(bankUrl: string, count: number) {
  const started = Date.now();
  const batches = Array.from({ length: Math.ceil(count / 100) }, () => ({
    batchId: randomUUID(),
    events: Array.from({ length: 100 }, () => ({
      id: randomUUID(),
      source: 'behaviour',
      name: 'page_view',
      occurredAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
      customerId: 'x',
      seq: 1,
      data: {},
    })),
  }));
  const figures = await timed(
    batches.map((b) => async () => {
      const body = JSON.stringify(b);
      for (;;) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomUUID().replace(/-/g, '');
        const res = await fetch(bankUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            [BANK_HEADERS.timestamp]: timestamp,
            [BANK_HEADERS.nonce]: nonce,
            [BANK_HEADERS.signature]: signBankRequest(SECRET, { method: 'POST', path: '/bank/events', timestamp, nonce, body }),
          },
          body,
        });
        if (res.ok) return true;
      }
    }),
    8,
  );
  const seconds = (Date.now() - started) / 1000;
  return { events: count, seconds: +seconds.toFixed(2), eventsPerSecond: +(count / seconds).toFixed(1), p99BatchMs: figures.p99Ms };
}

export async function deliveryScenario() {
  const bank = createFakeBank({ secret: SECRET, path: '/bank/events' });
  const bankUrl = `${await bank.listen(0)}/bank/events`;
  const stack = await startBenchStack({ env: { BANK_WEBHOOK_URL: bankUrl, BANK_WEBHOOK_SECRET: SECRET, RELAY_INTERVAL_MS: '86400000' } });
  try {
    console.log(`signing in ${CUSTOMERS} customers...`);
    const customers: { token: string; id: string }[] = [];
    for (let i = 0; i < CUSTOMERS; i += 20) customers.push(...(await Promise.all(Array.from({ length: Math.min(20, CUSTOMERS - i) }, () => stack.customer()))));
    const keep = async () => {
      const res = await timed(
        customers.flatMap((c) =>
          Array.from(
            { length: PER_CUSTOMER / BATCH },
            () => async () =>
              (
                await fetch(`${stack.url}/api/v1/events`, {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.token}` },
                  body: JSON.stringify({ events: pageViews(BATCH) }),
                })
              ).ok,
          ),
        ),
        50,
      );
      if (res.errors) throw new Error(`${res.errors} batches refused`);
    };
    const total = CUSTOMERS * PER_CUSTOMER;
    const relay = await openRelay(stack, bankUrl);
    // The consents' registrations are delivered first, so each run below counts behaviour events only.
    await relay.drain(bank, CUSTOMERS);

    console.log(`keeping ${total} events, then draining them to a healthy bank...`);
    await keep();
    const healthy = await relay.drain(bank, total);
    const directHealthy = await postDirect(bankUrl, total);

    console.log(`again, with the bank failing every third request...`);
    await keep();
    bank.setMode({ failEvery: 3 });
    const flaky = await relay.drain(bank, total);
    const directFlaky = await postDirect(bankUrl, total);
    bank.setMode({ failEvery: 0 });
    await relay.close();
    const stats = bank.stats();
    return {
      events: total,
      customers: CUSTOMERS,
      scenarios: { healthy, directHealthy, flaky, directFlaky, bank: { duplicates: stats.duplicates, failed: stats.failed } },
      ratios: {
        healthyEventsPerSecondToDirect: +(healthy.eventsPerSecond / directHealthy.eventsPerSecond).toFixed(3),
        flakyEventsPerSecondToDirect: +(flaky.eventsPerSecond / directFlaky.eventsPerSecond).toFixed(3),
        flakyDrainSecondsToHealthy: +(flaky.seconds / healthy.seconds).toFixed(2),
      },
    };
  } finally {
    await stack.stop();
    await bank.close();
  }
}
