import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export type Loaded<T> = { data: T | null; error: ApiError | null; loading: boolean; reload: () => void };

/** Loads once and again whenever `deps` change; the last answer wins, an earlier one arriving late is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    const mine = ++latest.current;
    setLoading(true);
    run()
      .then((value) => {
        if (mine !== latest.current) return;
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (mine !== latest.current) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err), null));
      })
      .finally(() => {
        if (mine === latest.current) setLoading(false);
      });
  }, [run, tick]);
  return { data, error, loading, reload: useCallback(() => setTick((t) => t + 1), []) };
}
