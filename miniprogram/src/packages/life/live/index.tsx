import { useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { livestreamStateNamesZh } from '@shared/life-rules';
import { ApiError } from '@/api/client';
import { tracker } from '@/api/tracking';
import { cancelReservation, enterLivestream, getLivestream, reserveLivestream, type Livestream } from '@/api/life';
import { openActivity } from '@/components/activity-card';
import { StateView } from '@/components/state-view';
import { useApi } from '@/hooks/useApi';
import { usePageView } from '@/hooks/usePageView';
import { formatDay, formatTime } from '@/utils/format';
import { BRAND } from '@/utils/theme';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { consentGranted, requestConsent } from '@/privacy/consent';
import { askConsentIfRefused } from '@/utils/toast';

const IN_WECHAT = process.env.TARO_ENV === 'weapp';

/** Asks WeChat for the reminder template; in H5 there are no subscribe messages, so there is no reminder. */
async function askForReminder(templateId: string): Promise<boolean> {
  if (!IN_WECHAT) return false;
  const answer = await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] }).catch(() => null);
  return (answer as Record<string, string> | null)?.[templateId] === 'accept';
}

/** Into the live: Channels live or its notice, or the live-player plugin's room (weapp); H5 cannot play either. */
async function watch(l: Livestream): Promise<boolean> {
  if (!IN_WECHAT) {
    await Taro.showModal({
      confirmColor: BRAND,
      title: '请在微信中观看',
      content: '直播在微信视频号中进行，请在微信中打开「悦享银行」小程序观看。',
      showCancel: false,
      confirmText: '知道了',
    });
    return false;
  }
  // Watching is browsing: without consent the live opens, but the entry (a task's progress) is not recorded.
  if (consentGranted()) await enterLivestream(l.id);
  if (l.channel.kind === 'channels') await Taro.openChannelsLive({ finderUserName: l.channel.finderUserName, feedId: l.channel.feedId });
  else await Taro.navigateTo({ url: `plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=${l.channel.roomId}` });
  return true;
}

/** One livestream: when, who, a reservation with one reminder, and what it links to. */
export default function LivePage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const live = useApi(() => getLivestream(id), { reloadOnShow: true });
  const [busy, setBusy] = useState(false);
  // When the customer left for the live: coming back to this page ends the watch, which is recorded with its length.
  const enteredAt = useRef<number | null>(null);
  useDidShow(() => {
    if (enteredAt.current === null) return;
    tracker.track('live_watch', { page: 'packages/life/live/index', itemId: id, props: { seconds: Math.round((Date.now() - enteredAt.current) / 1000) } });
    enteredAt.current = null;
  });
  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      void Taro.showToast({ title: done, icon: 'none' });
    } catch (err) {
      if (!askConsentIfRefused(err)) void Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败，请稍后重试', icon: 'none' });
    } finally {
      setBusy(false);
      live.reload();
    }
  };
  const reserve = (l: Livestream) =>
    requestConsent() &&
    act(
      async () => {
        const subscribed = await askForReminder(l.reminderTemplateId);
        // Also WeChat's own 视频号 reservation, when the live has a notice: it reminds from Channels as well.
        if (IN_WECHAT && l.channel.kind === 'channels' && l.channel.noticeId) Taro.reserveChannelsLive({ noticeId: l.channel.noticeId });
        await reserveLivestream(l.id, subscribed);
      },
      IN_WECHAT ? '预约成功，开播前会提醒您' : '已预约（开播提醒需在微信中接收）',
    );
  const l = live.data;
  return (
    <View className="live-page">
      <PrivacyGate />
      <StateView loading={live.loading} error={live.error} onRetry={live.reload}>
        {l && (
          <>
            <View className="live-page__card">
              <Text className={`live-page__state live-page__state--${l.state}`} data-testid="live-state">
                {livestreamStateNamesZh[l.state]}
              </Text>
              <Text className="live-page__title" data-testid="live-title">
                {l.title}
              </Text>
              <Text className="live-page__meta">
                主讲：{l.host} · {formatDay(l.startAt)} {formatTime(l.startAt)}-{formatTime(l.endAt)}
              </Text>
              <Text className="live-page__desc">{l.description}</Text>
              {l.reserved && (
                <Text className="live-page__reserved" data-testid="live-reserved">
                  已预约{IN_WECHAT && l.reminded ? '，开播前 5 分钟左右提醒您' : ''}
                </Text>
              )}
            </View>
            {!IN_WECHAT && (
              <View className="live-page__card">
                <Text className="live-page__desc">直播在微信视频号中进行。在浏览器中可以查看直播安排和预约，观看与开播提醒请在微信中打开本小程序。</Text>
              </View>
            )}
            {(l.activities.length > 0 || l.items.length > 0) && (
              <View className="live-page__card">
                <Text className="live-page__section">直播间福利</Text>
                {l.activities.map((a) => (
                  <View key={a.id} className="live-page__link" onClick={() => openActivity(a.id)}>
                    活动 · {a.title} ›
                  </View>
                ))}
                {l.items.map((i) => (
                  <View key={i.id} className="live-page__link" onClick={() => void Taro.navigateTo({ url: `/packages/mall/item/index?id=${i.id}` })}>
                    商品 · {i.title} ›
                  </View>
                ))}
              </View>
            )}
            <View className="live-page__bar">
              {l.state === 'upcoming' &&
                (l.reserved ? (
                  <>
                    {/* Reserved through its 直播 activity: the reminder still needs the customer's own acceptance. */}
                    {IN_WECHAT && !l.reminded && (
                      <Button type="primary" block disabled={busy} onClick={() => void reserve(l)} data-testid="live-remind">
                        开启开播提醒
                      </Button>
                    )}
                    <Button block disabled={busy} onClick={() => void act(() => cancelReservation(l.id), '已取消预约')} data-testid="live-cancel">
                      取消预约
                    </Button>
                  </>
                ) : (
                  <Button type="primary" block disabled={busy} loading={busy} onClick={() => void reserve(l)} data-testid="live-reserve">
                    预约直播
                  </Button>
                ))}
              {l.state === 'live' && (
                <Button
                  type="primary"
                  block
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      if (await watch(l)) enteredAt.current = Date.now();
                    }, '正在进入直播')
                  }
                  data-testid="live-enter"
                >
                  进入直播间
                </Button>
              )}
              {l.state === 'replay' && l.replayUrl && (
                <Button type="primary" block onClick={() => void Taro.navigateTo({ url: `/packages/life/web/index?live=${encodeURIComponent(l.id)}` })} data-testid="live-replay">
                  观看回放
                </Button>
              )}
              {l.state === 'ended' && <Text className="live-page__desc">直播已结束，回放整理中</Text>}
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
