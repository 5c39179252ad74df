import { WebView } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { usePageView } from '../../../hooks/usePageView';

/** An allowlisted bank or partner page (the BFF checked its domain before sending it here). */
export default function WebPage() {
  usePageView();
  const { url = '', title = '' } = useRouter().params;
  const src = decodeURIComponent(url);
  useLoad(() => {
    if (title) void Taro.setNavigationBarTitle({ title: decodeURIComponent(title) });
  });
  // Only https reaches here: web-view refuses anything else, and so does this page.
  return src.startsWith('https://') ? <WebView src={src} data-testid='life-webview' /> : null;
}
