import Taro, { useDidShow } from '@tarojs/taro';
import { tracker } from '../api/tracking';

/** Records a page view each time the page shows (its route, never its query: no personal data). */
export function usePageView(): void {
  useDidShow(() => {
    const pages = Taro.getCurrentPages();
    const route = (pages[pages.length - 1]?.route ?? '').replace(/^\//, '').split('?')[0];
    if (route) tracker.track('page_view', { page: route });
  });
}
