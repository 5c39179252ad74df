import { randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveryBatch, DeliverySink } from '../../../shared/contracts/delivery';
import { BANK_HEADERS, signBankRequest } from '../platform/auth/bank-signature';
import type { Clock } from '../platform/clock';
import { bankDay } from '../platform/time';

/** Where a batch of events goes. `send` resolves only once the destination holds the batch. */
export type Sink = { name: DeliverySink; send(batch: DeliveryBatch): Promise<void> };

export const BATCH_HEADER = 'X-Delivery-Batch';

/**
 * The bank's event endpoint. A batch is signed as the bank signs its calls to us (HMAC-SHA256
 * of method, path, timestamp, nonce and raw body), so the bank verifies both directions one
 * way; anything but a 2xx within the timeout is a failure, retried later.
 */
export function webhookSink(options: { url: string; secret: string; timeoutMs: number; clock: Clock }): Sink {
  const target = new URL(options.url);
  return {
    name: 'webhook',
    async send(batch) {
      const body = JSON.stringify(batch);
      const timestamp = String(Math.floor(options.clock.now().getTime() / 1000));
      const nonce = randomBytes(16).toString('hex');
      const signature = signBankRequest(options.secret, { method: 'POST', path: `${target.pathname}${target.search}`, timestamp, nonce, body });
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [BANK_HEADERS.timestamp]: timestamp, [BANK_HEADERS.nonce]: nonce, [BANK_HEADERS.signature]: signature, [BATCH_HEADER]: batch.batchId },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
  };
}

/**
 * One NDJSON file per day (Asia/Shanghai, by when the BFF kept the event) in a folder the
 * bank collects from: `events-YYYY-MM-DD.ndjson`, one event per line, appended batch by batch.
 */
export function ndjsonSink(options: { dir: string }): Sink {
  return {
    name: 'ndjson',
    async send(batch) {
      await mkdir(options.dir, { recursive: true });
      const byDay = new Map<string, string[]>();
      for (const event of batch.events) {
        const day = bankDay(new Date(event.recordedAt));
        byDay.set(day, [...(byDay.get(day) ?? []), JSON.stringify(event)]);
      }
      for (const [day, lines] of byDay) await appendFile(path.join(options.dir, `events-${day}.ndjson`), `${lines.join('\n')}\n`);
    },
  };
}
