import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import { history } from '@tarojs/router';
import { BRAND } from '../utils/theme';

/**
 * Asks before the page is left while `message` is set, on H5: every move of Taro's router (the title bar's
 * back and home buttons, the browser's back, `navigateBack`, `navigateTo`…) is held by the router's history
 * (`history.block`) until the customer confirms; a reload or a closed tab gets the browser's own question.
 */
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    if (!message) return;
    let asking = false;
    const unblock = history.block((tx) => {
      if (asking) return;
      asking = true;
      void Taro.showModal({ title: '确定离开？', content: message, confirmText: '离开', cancelText: '继续答题', confirmColor: BRAND }).then(({ confirm }) => {
        asking = false;
        if (!confirm) return;
        unblock();
        tx.retry();
      });
    });
    return unblock;
  }, [message]);
}
