import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { ApiError } from '../api/client';

export type ApiState<T> = { data: T | null; error: ApiError | null; loading: boolean; reload: () => void };

/**
 * Loads data for a page and tracks loading and error, so every page shows the same three
 * states. With `reloadOnShow`, it loads each time the page is shown (coming back from a
 * detail page shows what changed there); with `key`, again whenever the key changes.
 */
export function useApi<T>(load: () => Promise<T>, options: { reloadOnShow?: boolean; key?: string } = {}): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    setError(null);
    loadRef.current().then(
      (value) => {
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        setError(err instanceof ApiError ? err : new ApiError('INTERNAL', 0));
        setLoading(false);
      },
    );
  }, []);

  const onShow = options.reloadOnShow === true;
  useEffect(() => {
    if (!onShow) reload();
  }, [onShow, reload]);
  // A new key (another month, another filter) loads again; the first is loaded above.
  const key = useRef(options.key);
  useEffect(() => {
    if (key.current === options.key) return;
    key.current = options.key;
    reload();
  }, [options.key, reload]);
  useDidShow(() => {
    if (onShow) reload();
  });
  return { data, error, loading, reload };
}
