import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import dayjs from 'dayjs';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';
import { BANK_TZ } from '@/platform/time';

type ClosedDayDoc = { _id: string; closedAt: Date };

/** What the bank reads to know a file is complete: how many lines, how many events, and its hash. */
type ExportManifest = { file: string; day: string; kind: 'events' | 'late'; lines: number; events: number; unreadable: number; sha256: string; closedAt: string };

const FILE = /^(events|late)-(\d{4}-\d{2}-\d{2})\.ndjson$/;

/** The instant a bank day ends (midnight Asia/Shanghai). */
const endOf = (day: string) => dayjs.tz(`${day} 00:00`, BANK_TZ).add(1, 'day').valueOf();

/** Lines, distinct events and SHA-256 of a file, read as a stream (a day may be large); a line that does not parse is counted apart. */
async function summarise(file: string): Promise<{ lines: number; events: number; unreadable: number; sha256: string }> {
  const hash = createHash('sha256');
  const stream = createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk as Buffer));
  const ids = new Set<string>();
  let lines = 0;
  let unreadable = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line) continue;
    lines += 1;
    try {
      ids.add((JSON.parse(line) as { id: string }).id);
    } catch {
      unreadable += 1; // a line a crash cut short: the event was sent again on a line of its own
    }
  }
  return { lines, events: ids.size, unreadable, sha256: hash.digest('hex') };
}

/**
 * Closing the NDJSON export's days. A day's file (`events-D.ndjson`) closes `closeAfterMs`
 * after the day ends: first a mark is inserted (from then on, the sink writes that day's
 * events to the late file of the day they arrive), then, two lease periods later, when no
 * send that read "open" can still be writing, its manifest (`events-D.manifest.json`: lines,
 * distinct events, SHA-256) is written beside it, atomically. A late file closes the same way
 * after its own day. Lines may repeat an event (delivery is at least once): the bank dedupes by
 * `id` and orders a customer's events by `seq`.
 */
export function createExportDays(deps: { db: Database; clock: Clock; dir: string; leaseMs: number; closeAfterMs: number }) {
  const closed = () => deps.db.collection<ClosedDayDoc>('delivery_export_days');

  async function writeManifest(file: string, day: string, kind: 'events' | 'late'): Promise<ExportManifest> {
    const manifest: ExportManifest = { file, day, kind, ...(await summarise(path.join(deps.dir, file))), closedAt: deps.clock.now().toISOString() };
    const target = path.join(deps.dir, file.replace(/\.ndjson$/, '.manifest.json'));
    await writeFile(`${target}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(`${target}.tmp`, target);
    return manifest;
  }

  return {
    /** Which of these bank days are closed to new lines. */
    async closedDays(days: string[]): Promise<ReadonlySet<string>> {
      const marks = await Promise.all(days.map((_id) => closed().findOne({ _id })));
      return new Set(days.filter((_, i) => marks[i] !== null));
    },

    /** Closes what is due and writes the manifests of what has settled; returns the files given a manifest. */
    async close(): Promise<string[]> {
      const now = deps.clock.now().getTime();
      const names = await readdir(deps.dir).catch(() => [] as string[]);
      const done: string[] = [];
      const failed: string[] = [];
      for (const name of names) {
        const match = FILE.exec(name);
        if (!match || names.includes(name.replace(/\.ndjson$/, '.manifest.json'))) continue;
        const [, kind, day] = match as unknown as [string, 'events' | 'late', string];
        const due = endOf(day) + deps.closeAfterMs;
        if (now < due) continue;
        // One file that cannot be closed now holds up no other.
        try {
          if (kind === 'events') {
            await insertOnce(closed(), { _id: day, closedAt: new Date(now) });
            const mark = await closed().findOne({ _id: day });
            if (!mark || now < mark.closedAt.getTime() + 2 * deps.leaseMs) continue;
          } else if (now < due + 2 * deps.leaseMs) continue;
          await writeManifest(name, day, kind);
          done.push(name);
        } catch {
          failed.push(name);
        }
      }
      if (failed.length) throw new Error(`manifests not written: ${failed.join(', ')} (closed: ${done.join(', ') || 'none'})`);
      return done;
    },
  };
}
