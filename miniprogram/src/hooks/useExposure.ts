import Taro from '@tarojs/taro';
import { useEffect, useMemo, useRef } from 'react';
import { tracker } from '../api/tracking';
import { currentPage } from '../tracking/page';

let next = 0;

/**
 * One declarative way to track a card: spread `id` on its root and call `click()` in its tap
 * handler. An impression is recorded the first time half of it is on screen (once per mount),
 * a click each tap, both with the activity or item, the slot and the position.
 */
export function useExposure(target: { activityId?: string; itemId?: string }, slot: string, position: number) {
  const id = useMemo(() => `exp-${(next += 1)}`, []);
  const seen = useRef(false);
  const fields = () => ({ page: currentPage(), ...target, props: { slot, position } });
  useEffect(() => {
    let observer: Taro.IntersectionObserver | null = null;
    // The node exists on the native side only after this render is flushed.
    Taro.nextTick(() => {
      const page = Taro.getCurrentInstance().page;
      observer = Taro.createIntersectionObserver(page as never, { thresholds: [0.5] });
      observer.relativeToViewport().observe(`#${id}`, (res) => {
        if (seen.current || (res.intersectionRatio ?? 0) < 0.5) return;
        seen.current = true;
        tracker.track('impression', fields());
      });
    });
    return () => observer?.disconnect();
    // Observed once per mount: the card's target does not change under it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return { id, click: () => tracker.track('click', fields()) };
}
