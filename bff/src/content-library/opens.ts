import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { createStreamStore } from '@/platform/stream';

/** Who a share came from: a manager (staff) or a customer passing it on. */
export type Sharer = { kind: 'customer' | 'staff'; id: string };
type OpenEntry = { customerId: string };

const sharerOf = (s: Sharer) => `${s.kind}:${s.id}`;

/**
 * Opens of shared content, counted exactly over any number of processes: a stream per content
 * and sharer (and one per task, content and sharer for a task's share), each customer appended
 * once under a key naming them. A retry, or the same customer opening twenty times at once in
 * two processes, finds the key taken and counts nothing; a count is the stream's head.
 */
export function createOpens(db: Database, clock: Clock) {
  const opens = createStreamStore<OpenEntry>(db, 'library_content_opens', clock);
  const byContent = (contentId: string, sharer: Sharer) => `content:${contentId}|${sharerOf(sharer)}`;
  const byTask = (taskId: string, contentId: string, sharer: Sharer) => `task:${taskId}|${contentId}|${sharerOf(sharer)}`;
  const count = async (stream: string) => (await opens.head(stream))?.seq ?? 0;

  return {
    /** Records one open: a repeat (here or in another process) finds the customer's key taken and counts nothing. */
    async record(contentId: string, sharer: Sharer, taskId: string | null, customerId: string): Promise<void> {
      const streams = [byContent(contentId, sharer), ...(taskId ? [byTask(taskId, contentId, sharer)] : [])];
      await Promise.all(streams.map((stream) => opens.append(stream, () => ({ customerId }), { key: `open:${stream}|${customerId}` })));
    },
    /** Customers who opened a piece of content through one sharer's shares, or through those made for one task. */
    count: (contentId: string, sharer: Sharer, taskId?: string | null) => count(taskId ? byTask(taskId, contentId, sharer) : byContent(contentId, sharer)),
    ensureIndexes: () => opens.ensureIndexes(),
  };
}
export type Opens = ReturnType<typeof createOpens>;
