// Behaviour events at 100 concurrent clients, batches of 50: through POST /events, against the
// same documents inserted straight into the database at the same concurrency. Then the relay
// to the fake bank, against the same batches posted straight to it. Then an activity's
// analytics read with a million unrelated events beside it, against the same read on none.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { createFakeBank } from '../fake-bank/server';
import { openRelay } from './delivery';
import { BANK_HEADERS } from '../shared/signed-requests';
import { signBankRequest } from '../bff/src/platform/auth/bank-signature';
import { startBenchStack, timed, type Figures } from './stack';

const CLIENTS = 100;
const BATCH = 50;
const SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const BACKGROUND = Number(process.env.BENCH_BACKGROUND_EVENTS ?? 1_000_000);
const SECRET = 'bench-bank-webhook-secret-0123456789abcdef';

const eventsFor = (activityId: string | null) =>
  Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    type: i % 5 === 0 ? 'click' : 'impression',
    clientTime: new Date().toISOString(),
    page: 'pages/index/index',
    ...(activityId ? { activityId } : {}),
    props: { position: i },
  }));

async function analyticsTime(call: () => Promise<boolean>): Promise<Figures> {
  return timed(
    Array.from({ length: 20 }, () => call),
    1,
  );
}

export async function eventsScenario() {
  const bank = createFakeBank({ secret: SECRET, path: '/bank/events' });
  const bankUrl = await bank.listen(0);
  const stack = await startBenchStack({ env: { BANK_WEBHOOK_URL: `${bankUrl}/bank/events`, BANK_WEBHOOK_SECRET: SECRET, RELAY_INTERVAL_MS: '3600000' } });
  try {
    const admin = await stack.staff('admin');
    const reviewer = await stack.staff('reviewer');
    const now = Date.now();
    const created = await stack.call<{ id: string }>(
      'POST',
      '/admin/activities',
      {
        code: `BENCH-EVT-${now}`,
        type: 'live',
        orgUnitId: 'org-hq',
        title: '压测埋点活动',
        description: '压测',
        rules: '压测',
        schedule: { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 86400_000).toISOString() },
        budget: { maxRewards: 1000 },
        controlGroupPercent: 10,
        settings: { roomId: 'bench', startsAt: new Date(now + 3600_000).toISOString() },
      },
      admin,
    );
    const activityId = created.body.id;
    await stack.call('POST', `/admin/activities/${activityId}/submit`, undefined, admin);
    await stack.call('POST', `/admin/activities/${activityId}/approve`, {}, reviewer);
    console.log(`logging in ${CLIENTS} customers...`);
    const customers = await Promise.all(Array.from({ length: CLIENTS }, () => stack.customer()));
    let turn = 0;
    const postBatches = () =>
      timed(
        {
          seconds: SECONDS,
          repeat: async () => {
            const c = customers[turn++ % customers.length];
            const res = await fetch(`${stack.url}/api/v1/events`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.token}` },
              body: JSON.stringify({ events: eventsFor(activityId) }),
            });
            return res.status === 200;
          },
        },
        CLIENTS,
      );
    const ingest = await postBatches();

    const conn = await mongoose.createConnection(stack.uri, { maxPoolSize: CLIENTS, retryWrites: false }).asPromise();
    try {
      const direct = await timed(
        {
          seconds: SECONDS,
          repeat: async () => {
            const c = customers[turn++ % customers.length];
            const at = new Date();
            await conn.collection('bench_direct_events').insertMany(
              eventsFor(activityId).map(({ id, clientTime, ...e }) => ({ _id: id as never, ...e, customerId: c.id, clientTime: new Date(clientTime), serverTime: at })),
              { ordered: false },
            );
            return true;
          },
        },
        CLIENTS,
      );

      // The relay drains what the ingest queued (the BFF's own timer is held back for the measurement).
      const queued = ingest.requests * BATCH;
      const relay = await openRelay(stack, `${bankUrl}/bank/events`);
      const relayFigures = await relay.drain(bank, queued);
      await relay.close();

      // The same number of events posted straight to the bank in signed batches of 100, eight at a time.
      const batches = Array.from({ length: Math.ceil(queued / 100) }, () => ({
        batchId: randomUUID(),
        events: Array.from({ length: 100 }, () => ({
          id: randomUUID(),
          source: 'behaviour',
          name: 'click',
          occurredAt: new Date().toISOString(),
          recordedAt: new Date().toISOString(),
          customerId: 'x',
          data: {},
        })),
      }));
      const directPost = await timed(
        batches.map((b) => async () => {
          const body = JSON.stringify(b);
          const timestamp = String(Math.floor(Date.now() / 1000));
          const nonce = randomUUID().replace(/-/g, '');
          const res = await fetch(`${bankUrl}/bank/events`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              [BANK_HEADERS.timestamp]: timestamp,
              [BANK_HEADERS.nonce]: nonce,
              [BANK_HEADERS.signature]: signBankRequest(SECRET, { method: 'POST', path: '/bank/events', timestamp, nonce, body }),
            },
            body,
          });
          return res.ok;
        }),
        8,
      );
      const directPostEventsPerSecond = +(directPost.rps * 100).toFixed(1);

      // Analytics for the activity, then again with a million unrelated events stored beside it.
      const read = () => async () => (await fetch(`${stack.url}/api/v1/admin/activities/${activityId}/analytics`, { headers: { Authorization: `Bearer ${admin}` } })).ok;
      const analyticsBefore = await analyticsTime(read());
      console.log(`storing ${BACKGROUND} unrelated events...`);
      for (let n = 0; n < BACKGROUND; n += 10_000) {
        await Promise.all(
          Array.from({ length: 10 }, (_, k) =>
            conn.collection('behaviour_events').insertMany(
              Array.from({ length: 1000 }, (_, i) => ({
                _id: randomUUID() as never,
                type: 'page_view',
                page: 'pages/index/index',
                activityId: `other-${(n + k * 1000 + i) % 500}`,
                customerId: customers[i % CLIENTS].id,
                managerId: null,
                segment: null,
                control: false,
                clientTime: new Date(),
                serverTime: new Date(),
              })),
              { ordered: false },
            ),
          ),
        );
      }
      const analyticsAfter = await analyticsTime(read());
      const ingestAfter = await postBatches();
      return {
        scenarios: {
          ingest: { ...ingest, eventsPerSecond: +(ingest.rps * BATCH).toFixed(1) },
          directInsert: { ...direct, eventsPerSecond: +(direct.rps * BATCH).toFixed(1) },
          relay: relayFigures,
          directPost: { ...directPost, eventsPerSecond: directPostEventsPerSecond },
          analyticsBefore,
          analyticsWithBackground: { ...analyticsAfter, backgroundEvents: BACKGROUND },
          ingestWithBackground: { ...ingestAfter, eventsPerSecond: +(ingestAfter.rps * BATCH).toFixed(1) },
        },
        ratios: {
          ingestEventsPerSecondToDirectInsert: +(ingest.rps / direct.rps).toFixed(3),
          ingestP99ToDirectInsertP99: +(ingest.p99Ms / direct.p99Ms).toFixed(2),
          relayEventsPerSecondToDirectPost: +(relayFigures.eventsPerSecond / directPostEventsPerSecond).toFixed(3),
          analyticsP50WithMillionEventsToWithout: +(analyticsAfter.p50Ms / analyticsBefore.p50Ms).toFixed(2),
          ingestRpsWithMillionEventsToWithout: +(ingestAfter.rps / ingest.rps).toFixed(3),
        },
      };
    } finally {
      await conn.close();
    }
  } finally {
    await stack.stop();
    await bank.close();
  }
}
