import { useEffect } from 'react';
import Taro from '@tarojs/taro';

/**
 * Asks before the page is left while `message` is set: on WeChat its own dialog on back (the title bar's
 * back, the swipe, Android's back key), `wx.enableAlertBeforeUnload`. The H5 build has its own version
 * (`useLeaveGuard.h5.ts`), which Taro picks for H5.
 */
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    if (!message) return;
    void Taro.enableAlertBeforeUnload({ message });
    return () => void Taro.disableAlertBeforeUnload();
  }, [message]);
}
