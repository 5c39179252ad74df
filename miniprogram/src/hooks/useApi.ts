import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { ApiError } from '../api/client';
import { onCustomerChange, onServerChange, readCached, writeCached } from '../utils/api-cache';
import { onConsentGiven } from '../privacy/consent';

export type ApiState<T> = {
  data: T | null;
  /** A failure with nothing to show: the page shows its error state. */
  error: ApiError | null;
  /** A failure while data is on screen: the data stays, with a notice (offline, or a failed refresh). */
  stale: ApiError | null;
  /** Nothing to show yet: the page shows its skeleton. */
  loading: boolean;
  reload: () => void;
  /** Shows what a write answered with at once (a load still on its way is dropped): no moment of the state before it. */
  // A method, so a page's state may still be handed to a part that reads a narrower shape of it.
  show(value: T): void;
};

/**
 * Loads data for a page and tracks loading and error, so every page shows the same states.
 * With `cache`, the last good data is shown at once on a return visit (and offline) while it
 * loads again. With `reloadOnShow`, it loads each time the page is shown (coming back from a
 * detail page shows what changed there); with `key`, again whenever the key changes; and
 * again once the customer agrees to the privacy policy (a page refused before loads by itself),
 * and after any write of the customer's (see onServerChange).
 * The cache is the signed-in customer's own: on a first visit there is none, and a page never
 * shows what was loaded for another customer of the phone.
 */
export function useApi<T>(load: () => Promise<T>, options: { reloadOnShow?: boolean; key?: string; cache?: string } = {}): ApiState<T> {
  const cacheKey = options.cache ?? null;
  const [data, setData] = useState<T | null>(() => (cacheKey ? readCached<T>(cacheKey) : null));
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const shownKey = useRef(options.key);
  // Only the newest load's answer is shown: an older one that arrives late (a reload on show
  // racing a reload after a change, a month left behind) would put back what was there before.
  const generation = useRef(0);

  const accept = useCallback(
    (value: T) => {
      setData(value);
      setFailure(null);
      setLoading(false);
      if (cacheKey) writeCached(cacheKey, value);
    },
    [cacheKey],
  );
  const show = useCallback(
    (value: T) => {
      ++generation.current;
      accept(value);
    },
    [accept],
  );
  const reload = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (value) => {
        if (mine === generation.current) accept(value);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setFailure(err instanceof ApiError ? err : new ApiError('INTERNAL', 0));
        setLoading(false);
      },
    );
  }, [accept]);

  const onShow = options.reloadOnShow === true;
  useEffect(() => {
    if (!onShow) reload();
  }, [onShow, reload]);
  useEffect(() => {
    if (shownKey.current === options.key) return;
    shownKey.current = options.key;
    setData(null);
    setLoading(true);
    reload();
  }, [options.key, reload]);
  // After the customer changes something on the server, the page on screen loads again at once and
  // the others when next shown: one rule, so no page keeps a balance or a button from before.
  const shown = useRef(true);
  const outdated = useRef(false);
  useDidShow(() => {
    shown.current = true;
    if (onShow || outdated.current) reload();
    outdated.current = false;
  });
  useDidHide(() => {
    shown.current = false;
  });
  useEffect(
    () =>
      onServerChange(() => {
        if (shown.current) reload();
        else outdated.current = true;
      }),
    [reload],
  );
  // Another customer signed in on this phone: what was shown of the one before goes at once (an
  // answer still on its way for them too), and loads again for the one signed in now.
  useEffect(
    () =>
      onCustomerChange(() => {
        setData(null);
        setLoading(true);
        reload();
      }),
    [reload],
  );
  // The customer just agreed to the privacy policy: what was refused (or shown without them) loads again.
  useEffect(() => onConsentGiven(reload), [reload]);
  return { data, error: data === null ? failure : null, stale: data === null ? null : failure, loading: loading && data === null, reload, show };
}
