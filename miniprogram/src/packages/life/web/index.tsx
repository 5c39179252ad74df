import { View, WebView } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { usePageView } from '@/hooks/usePageView';
import { PrivacyGate } from '@/components/privacy-gate';
import { useConsent } from '@/privacy/consent';
import { ConsentState, StateView } from '@/components/state-view';
import { ApiError } from '@/api/client';
import { getLifeService, getLivestream } from '@/api/life';
import { useApi } from '@/hooks/useApi';
import { webSource } from './source';

/**
 * A bank or partner page in web-view, for a service (`?service=<id>`) or a livestream's replay
 * (`?live=<id>`): the address is the one the BFF gives for that id now (allowlisted,
 * normalised), never one carried in the query. A web-view covers everything on its page, the
 * consent sheet too: it opens once the customer has agreed.
 */
export default function WebPage() {
  usePageView();
  const consent = useConsent();
  const params = useRouter().params;
  const granted = consent.status === 'granted';
  const source = useApi(
    async () => {
      if (!granted) return null;
      const found = await webSource(params, { service: getLifeService, livestream: getLivestream });
      if (found) void Taro.setNavigationBarTitle({ title: found.title });
      return found;
    },
    { key: granted ? 'granted' : 'waiting' },
  );
  if (!granted) {
    return (
      <View className="web-page">
        <PrivacyGate />
        {consent.status !== 'unknown' && (
          <ConsentState error={new ApiError(consent.status === 'deletion' ? 'PRIVACY_DELETION_REQUESTED' : 'PRIVACY_CONSENT_REQUIRED', 403)} text="同意隐私政策后可打开此服务" />
        )}
      </View>
    );
  }
  return (
    <StateView loading={source.loading} error={source.error} onRetry={source.reload} empty={!source.loading && !source.error && !source.data} emptyText="该页面暂不可打开">
      {source.data && <WebView src={source.data.url} data-testid="life-webview" />}
    </StateView>
  );
}
