/** Runs `work` on every item, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i).catch((err: unknown) => void failures.push(err));
      }
    }),
  );
  if (failures.length) throw failures[0];
}
