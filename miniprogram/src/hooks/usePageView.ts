import { useDidShow } from '@tarojs/taro';
import { tracker } from '../api/tracking';
import { currentPage } from '../tracking/page';

/** Records a page view each time the page shows (its route, never its query: no personal data). */
export function usePageView(): void {
  useDidShow(() => {
    const page = currentPage();
    if (page) tracker.track('page_view', { page });
  });
}
