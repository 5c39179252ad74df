import { useEffect } from 'react';

/**
 * An order a partner is still working on (a top-up, a coupon being issued) settles within minutes
 * at most: while its status is `processing`, read it again every few seconds.
 */
export function useSettling(order: { status: string } | null | undefined, reload: () => void): void {
  useEffect(() => {
    if (order?.status !== 'processing') return;
    const timer = setTimeout(reload, 3000);
    return () => clearTimeout(timer);
  }, [order, reload]);
}
