import Taro, { usePullDownRefresh } from '@tarojs/taro';

/** Pull-to-refresh (the page config enables it): loads again, and lets go of the spinner at once. */
export function usePullToRefresh(refresh: () => void): void {
  usePullDownRefresh(() => {
    refresh();
    Taro.stopPullDownRefresh();
  });
}
