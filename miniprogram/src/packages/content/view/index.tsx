import { useEffect } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { libraryContentTypeNamesZh } from '@shared/content-types';
import { openContent } from '@/api/content';
import { mediaUrl } from '@/api/media';
import { arriveThrough } from '@/api/referrals';
import { PrivacyGate } from '@/components/privacy-gate';
import { StateView } from '@/components/state-view';
import { useApi } from '@/hooks/useApi';
import { usePageView } from '@/hooks/usePageView';
import { formatDate } from '@/utils/format';
import './index.scss';

/**
 * A piece of content my relationship manager shared (话术, 海报 or 文章). Opened through their
 * share, it is counted for them once I have agreed to the privacy policy (the page loads again
 * then, by itself); withdrawn or expired content says so, with the way home.
 */
export default function ContentPage() {
  usePageView();
  const params = useRouter().params;
  const id = params.id ?? '';
  const scene = params.scene ? decodeURIComponent(params.scene) : undefined;
  const { data, error, loading, reload } = useApi(() => openContent(id, scene));
  // Opened straight from a share (not through the home page): its scene is recorded as an arrival, after consent.
  const raw = params.scene;
  useEffect(() => {
    if (raw) arriveThrough({ scene: raw });
  }, [raw]);

  return (
    <View className="content-page">
      <PrivacyGate />
      <StateView
        loading={loading}
        error={error}
        onRetry={reload}
        refusal={{
          title: '该内容已过期或已下线',
          text: '您可以返回首页，看看我行的其他活动与服务。',
          action: { label: '返回首页', onClick: () => void Taro.switchTab({ url: '/pages/index/index' }) },
        }}
      >
        {data && (
          <View className="content-page__card" data-testid="content-view">
            <Text className="content-page__type">{libraryContentTypeNamesZh[data.type]}</Text>
            <Text className="content-page__title" data-testid="content-title">
              {data.title}
            </Text>
            <Text className="content-page__meta">
              {data.unitName} · 有效期至 {formatDate(data.validUntil)}
            </Text>
            {data.image && (
              <Image
                className={`content-page__image content-page__image--${data.type}`}
                src={mediaUrl(data.image)}
                mode={data.type === 'poster' ? 'widthFix' : 'aspectFill'}
                showMenuByLongpress={data.type === 'poster'}
                aria-label={data.type === 'poster' ? data.title : '封面'}
              />
            )}
            {data.summary && <Text className="content-page__summary">{data.summary}</Text>}
            {data.body && (
              <Text className="content-page__body" userSelect data-testid="content-body">
                {data.body}
              </Text>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
