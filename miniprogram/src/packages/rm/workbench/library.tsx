import { useState } from 'react';
import { View, Text, Image, Button as ShareButton } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { libraryContentTypeNamesZh } from '@shared/content-types';
import { mediaUrl } from '@/api/media';
import { getUsableContent, shareContent } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { BenchList } from './bench-list';
import { formatDate } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { copyShareLink } from '@/utils/share-link';

type Shared = { contentId?: string; title?: string };

/**
 * What WeChat sends when a 分享给客户 button of this tab is tapped (the workbench page's share
 * handler asks here): the content page with my scene, made as the card is sent; null for any other button.
 */
export function contentShare(target: unknown) {
  const { contentId, title } = ((target as { dataset?: Shared } | undefined)?.dataset ?? {}) as Shared;
  if (!contentId) return null;
  const card = { title: title ?? '悦享银行', path: `/packages/content/view/index?id=${contentId}` };
  // Without my scene in time (WeChat waits three seconds) the card still opens the content, counted for nobody.
  return { ...card, promise: shareContent(contentId).then((share) => ({ ...card, path: share.path })) };
}

const copyLink = async (id: string) => copyShareLink((await shareContent(id)).path, '链接已复制，发给客户吧');

/** 内容库: the 话术, posters and articles my unit may share now, how many of my customers opened each, and a way to share. */
export function Library({ onPoster }: { onPoster: () => void }) {
  const state = useApi(getUsableContent);
  const [busy, setBusy] = useState<string | null>(null);
  async function copy(id: string) {
    setBusy(id);
    try {
      await copyLink(id);
      state.reload();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(null);
    }
  }
  return (
    <BenchList state={state} testId="bench-library" emptyText="暂无可分享的内容，总行或分行发布后会显示在这里" emptyAction={{ label: '分享我的海报', onClick: onPoster }}>
      {(c) => (
        <View key={c.id} className="bench__content" data-testid="bench-content">
          <View className="bench__customer-head">
            <Text className="bench__name">{c.title}</Text>
            <Text className="bench__via">{libraryContentTypeNamesZh[c.type]}</Text>
          </View>
          <View className="bench__content-body">
            {c.image && <Image className="bench__thumb" src={mediaUrl(c.image)} mode="aspectFill" aria-hidden="true" />}
            {(c.summary ?? c.body) && <Text className="bench__excerpt">{c.summary ?? c.body}</Text>}
          </View>
          <Text className="bench__meta" data-testid="bench-content-opens">
            有效期至 {formatDate(c.endAt)} · 我的分享已有 {c.opens} 位客户打开
          </Text>
          <View className="bench__content-actions">
            {c.type === 'script' && c.body && (
              <Button
                className="bench__action"
                size="small"
                onClick={() => void Taro.setClipboardData({ data: c.body! }).then(() => Taro.showToast({ title: '话术已复制', icon: 'none' }))}
              >
                复制话术
              </Button>
            )}
            {process.env.TARO_ENV === 'h5' ? (
              <Button
                className="bench__action"
                type="primary"
                size="small"
                loading={busy === c.id}
                disabled={busy !== null}
                onClick={() => void copy(c.id)}
                data-testid="bench-content-share"
              >
                分享给客户
              </Button>
            ) : (
              <ShareButton className="bench__action bench__share" openType="share" data-content-id={c.id} data-title={c.title} data-testid="bench-content-share">
                分享给客户
              </ShareButton>
            )}
          </View>
        </View>
      )}
    </BenchList>
  );
}
