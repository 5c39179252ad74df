import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveryBatch, DeliverySink } from '@shared/contracts/delivery';
import { BANK_HEADERS } from '@shared/signed-requests';
import { signBankRequest } from '@/platform/auth/bank-signature';
import type { Clock } from '@/platform/clock';
import { bankDay } from '@/platform/time';

/** Where a batch of events goes. `send` resolves only once the destination holds the batch. */
export type Sink = { name: DeliverySink; send(batch: DeliveryBatch): Promise<void> };

const BATCH_HEADER = 'X-Delivery-Batch';

/**
 * A send that failed. `refused`: the destination answered and said no to what was sent (a bad
 * event, too large a batch), so sending the same again cannot help, but sending less might;
 * otherwise it is unavailable (down, slow, overloaded), and the same batch is tried later.
 */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/**
 * Answers that refuse the content itself. 401/403/408/429 and 5xx are about the moment, not the
 * batch; 409 often means "already have it" after a resend, so it is tried again, not dead-lettered.
 */
const REFUSING_STATUSES = new Set([400, 413, 415, 422]);

/**
 * The bank's event endpoint. A batch is signed as the bank signs its calls to us (HMAC-SHA256
 * of method, path, timestamp, nonce and raw body), so the bank verifies both directions one
 * way; anything but a 2xx within the timeout is a failure.
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
      let res: Response;
      try {
        res = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [BANK_HEADERS.timestamp]: timestamp,
            [BANK_HEADERS.nonce]: nonce,
            [BANK_HEADERS.signature]: signature,
            [BATCH_HEADER]: batch.batchId,
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        throw new SinkError(err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection failed', false);
      }
      const answer = await res.text().catch(() => '');
      if (!res.ok) throw new SinkError(`HTTP ${res.status}${answer ? `: ${answer.slice(0, 120)}` : ''}`, REFUSING_STATUSES.has(res.status));
    },
  };
}

/** Whether a file's last byte is not a newline (a write cut short); false for a file not there. */
async function endsMidLine(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

/** The file an event is written to: its own bank day's, or, once that day is closed, the late file of the day it arrives. */
type ExportFileOf = (eventDay: string, today: string, closed: ReadonlySet<string>) => string;
const exportFileOf: ExportFileOf = (eventDay, today, closed) => (closed.has(eventDay) ? `late-${today}.ndjson` : `events-${eventDay}.ndjson`);

/**
 * One NDJSON file per bank day (Asia/Shanghai) in a folder the bank collects from, named by the
 * day each event happened (`events-YYYY-MM-DD.ndjson`), one event per line, appended batch by
 * batch. Once a day is closed (see export-days.ts) its file gets no more lines: an event of
 * that day arriving later goes to the late file of the day it arrives (`late-YYYY-MM-DD.ndjson`),
 * which closes in its turn.
 */
export function ndjsonSink(options: { dir: string; clock: Clock; closedDays: (days: string[]) => Promise<ReadonlySet<string>> }): Sink {
  return {
    name: 'ndjson',
    async send(batch) {
      try {
        await mkdir(options.dir, { recursive: true });
        const today = bankDay(options.clock.now());
        const days = [...new Set(batch.events.map((e) => bankDay(new Date(e.occurredAt))))];
        const closed = await options.closedDays(days);
        const byFile = new Map<string, string[]>();
        for (const event of batch.events) {
          const file = exportFileOf(bankDay(new Date(event.occurredAt)), today, closed);
          byFile.set(file, [...(byFile.get(file) ?? []), JSON.stringify(event)]);
        }
        for (const [file, lines] of byFile) {
          const target = path.join(options.dir, file);
          // A line a crash cut short is ended first, so the next event starts a line of its own.
          await appendFile(target, `${(await endsMidLine(target)) ? '\n' : ''}${lines.join('\n')}\n`);
        }
      } catch (err) {
        throw new SinkError(err instanceof Error ? err.message : String(err), false);
      }
    },
  };
}
