import { useEffect, useState } from 'react';
import { useApi } from './useApi';
import { toastError } from '../utils/toast';

export type Page<T> = { items: T[]; next: number | null };

/**
 * A list read page by page, newest first: the first page loads as useApi loads anything, and
 * 加载更多 appends the next one. A new `key` (another filter) starts again from the first page.
 */
export function usePagedApi<T>(fetchPage: (before?: number) => Promise<Page<T>>, options: { reloadOnShow?: boolean; key?: string } = {}) {
  const first = useApi(() => fetchPage(), options);
  const [more, setMore] = useState<Page<T> | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setMore(null), [options.key]);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (first.data?.next ?? null);

  async function loadMore() {
    if (!next || busy) return;
    setBusy(true);
    try {
      const page = await fetchPage(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  /** From the first page again (after a change, or a pull-to-refresh). */
  function refresh() {
    setMore(null);
    first.reload();
  }

  return { ...first, items, next, busy, loadMore, refresh };
}
