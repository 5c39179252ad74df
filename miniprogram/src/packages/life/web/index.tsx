import { View, WebView } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { usePageView } from '../../../hooks/usePageView';
import { PrivacyGate } from '../../../components/privacy-gate';
import { useConsent } from '../../../privacy/consent';
import { ConsentState } from '../../../components/state-view';
import { ApiError } from '../../../api/client';

/**
 * An allowlisted bank or partner page (the BFF checked its domain before sending it here). A
 * web-view covers everything on its page, the consent sheet too: it opens once the customer has agreed.
 */
export default function WebPage() {
  usePageView();
  const consent = useConsent();
  const { url = '', title = '' } = useRouter().params;
  const src = decodeURIComponent(url);
  useLoad(() => {
    if (title) void Taro.setNavigationBarTitle({ title: decodeURIComponent(title) });
  });
  if (consent.status !== 'granted') {
    return (
      <View className='web-page'>
        <PrivacyGate />
        {consent.status !== 'unknown' && <ConsentState error={new ApiError(consent.status === 'deletion' ? 'PRIVACY_DELETION_REQUESTED' : 'PRIVACY_CONSENT_REQUIRED', 403)} text='同意隐私政策后可打开此服务' />}
      </View>
    );
  }
  // Only https reaches here: web-view refuses anything else, and so does this page.
  return src.startsWith('https://') ? <WebView src={src} data-testid='life-webview' /> : null;
}
