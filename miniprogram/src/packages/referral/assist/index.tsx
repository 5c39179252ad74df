import { useEffect, useState } from 'react';
import { View, Text, Button as ShareButton } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { AssistView } from '@shared/contracts/referrals';
import { getAssist, helpAssist, launchArrival, startAssist } from '@/api/referrals';
import { useApi } from '@/hooks/useApi';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import { StateView } from '@/components/state-view';
import { describeReward, formatDate } from '@/utils/format';
import { copyShareLink, h5Link } from '@/utils/share-link';
import { toastError } from '@/utils/toast';
import './index.scss';
import { usePageView } from '@/hooks/usePageView';
import { PrivacyGate } from '@/components/privacy-gate';
import { requestConsent } from '@/privacy/consent';

/** How often the starter's page looks for new helps while it is open. */
const POLL_MS = 4000;

/** What the starter is told, from the reward engine's books (never from the completion alone). */
const REWARD_STATE: Record<AssistView['rewardState'], string> = {
  none: '',
  pending: '奖励发放中，请稍后查看',
  paid: '奖励已发放',
  exhausted: '很遗憾，本活动奖励已发完，本次助力未能获得奖励',
  unavailable: '很遗憾，奖励对应的活动已结束，本次助力未能获得奖励',
  held: '奖励审核中：系统发现异常助力，人工复核后发放',
  rejected: '经复核，本次助力存在异常，奖励不予发放',
};

const shareLink = (assist: AssistView) => h5Link(assist.share!.path);

function Progress({ assist }: { assist: AssistView }) {
  const percent = Math.min(100, Math.round((assist.helped / assist.needed) * 100));
  return (
    <View className="assist__progress" data-testid="assist-progress">
      <Text className="assist__count">
        已有 {assist.helped}/{assist.needed} 位好友助力{assist.state === 'open' ? `，还差 ${assist.needed - assist.helped} 位` : ''}
      </Text>
      <View className="assist__bar" role="progressbar" aria-valuenow={assist.helped} aria-valuemin={0} aria-valuemax={assist.needed}>
        <View className="assist__bar-fill" style={{ width: `${percent}%` }} />
      </View>
      <Text className="assist__meta">
        {assist.state === 'open' ? `${formatDate(assist.expiresAt)} 前集齐有效` : assist.state === 'completed' ? '助力已集齐' : '助力已结束，未集齐'}
      </Text>
    </View>
  );
}

/** What the starter does: share, watch helps come in, see the reward. */
function StarterPart({ assist }: { assist: AssistView }) {
  const copy = () => copyShareLink(assist.share!.path, '助力链接已复制，发给好友吧');
  return (
    <>
      {assist.state === 'completed' && (
        <Text className={`assist__reward assist__reward--${assist.rewardState}`} data-testid="assist-reward">
          {REWARD_STATE[assist.rewardState]}
          {assist.rewardState === 'paid' && assist.reward ? `：${describeReward(assist.reward).replace(/^参与得 ?/, '')}` : ''}
        </Text>
      )}
      {assist.state === 'open' && (
        // The link is what the button copies, never printed: a friend gets it in a chat, not as a raw address.
        <View className="assist__actions" data-testid="assist-link" data-link={shareLink(assist)}>
          {process.env.TARO_ENV === 'h5' ? (
            <Button type="primary" block onClick={copy} data-testid="assist-share">
              复制链接，邀请好友助力
            </Button>
          ) : (
            <ShareButton className="assist__share" openType="share" data-testid="assist-share">
              邀请微信好友助力
            </ShareButton>
          )}
        </View>
      )}
      <View className="assist__helpers" data-testid="assist-helpers">
        <Text className="assist__section">助力好友</Text>
        {assist.helpers.length === 0 ? (
          <Text className="assist__meta">还没有好友助力，分享给好友后，这里会实时显示。</Text>
        ) : (
          assist.helpers.map((h, i) => (
            <View key={i} className="assist__helper">
              <Text className="assist__helper-name">{h.name}</Text>
              <Text className="assist__meta">{formatDate(h.at)}</Text>
            </View>
          ))
        )}
      </View>
    </>
  );
}

/** What a friend does: help once, or read why they cannot. */
function HelperPart({ assist, onHelped }: { assist: AssistView; onHelped: (a: AssistView) => void }) {
  const [busy, setBusy] = useState(false);
  async function help() {
    if (!requestConsent()) return; // the sheet asks first; the friend's share is credited once they agree
    setBusy(true);
    try {
      await launchArrival(); // the arrival through this share first: it is how the BFF knows the friend came here
      onHelped(await helpAssist(assist.id));
      Taro.showToast({ title: '助力成功，感谢您的支持！', icon: 'none' });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  if (assist.helpedByMe)
    return (
      <>
        <Text className="assist__done" data-testid="assist-helped">
          您已为好友助力，感谢支持！
        </Text>
        {/* A next step for the friend: the same activity for themselves, or what else the bank offers. */}
        <View className="assist__actions assist__next">
          <Button
            type="primary"
            block
            onClick={() => void Taro.redirectTo({ url: `/packages/referral/assist/index?activityId=${assist.activityId}` })}
            data-testid="assist-start-mine"
          >
            我也发起助力
          </Button>
          <Button block onClick={() => void Taro.switchTab({ url: '/pages/index/index' })} data-testid="assist-go-home">
            逛逛首页
          </Button>
        </View>
      </>
    );
  if (assist.state !== 'open') return <Text className="assist__done">{assist.state === 'completed' ? '好友的助力已集齐，感谢关注' : '这次助力已结束'}</Text>;
  return (
    <View className="assist__actions">
      <Button type="primary" block loading={busy} disabled={busy} onClick={help} data-testid="assist-help">
        {busy ? '助力中…' : '为好友助力'}
      </Button>
    </View>
  );
}

/** 好友助力: my assist's progress and share, or a friend's assist to help. Opened with `activityId` to start mine, or `id`. */
export default function AssistPage() {
  usePageView();
  const { id, activityId } = useRouter().params;
  const load = () => (id ? getAssist(id) : startAssist(activityId ?? ''));
  const { data, error, stale, loading, reload } = useApi(load, { reloadOnShow: true });
  const [fresh, setFresh] = useState<AssistView | null>(null);
  const assist = fresh ?? data;
  usePullToRefresh(reload);

  useEffect(() => setFresh(null), [data]);
  // The starter sees helps arrive while the page is open, and then the reward: a completed assist's reward can still be on
  // its way (being paid) when the page hears of it.
  const waiting = assist?.state === 'open' || (assist?.state === 'completed' && assist.rewardState === 'pending');
  useEffect(() => {
    if (!assist?.mine || !waiting) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [assist?.mine, waiting, reload]);

  useShareAppMessage(() => (assist?.share ? { title: `帮我助力一下：${assist.title}`, path: assist.share.path } : { title: '悦享银行', path: '/pages/index/index' }));

  return (
    <View className="assist">
      <PrivacyGate />
      <StateView loading={loading && !assist} error={assist ? null : error} stale={stale} onRetry={reload} consentText="同意隐私政策后可发起助力">
        {assist && (
          <>
            <View className="assist__head">
              {assist.askedBy && (
                <Text className="assist__asked" data-testid="assist-asked-by">
                  {assist.askedBy} 请您帮忙助力
                </Text>
              )}
              <Text className="assist__title">{assist.title}</Text>
              {assist.reward && <Text className="assist__prize">集齐可得 {describeReward(assist.reward).replace(/^参与得 ?/, '')}</Text>}
            </View>
            <Progress assist={assist} />
            {assist.mine ? <StarterPart assist={assist} /> : <HelperPart assist={assist} onHelped={setFresh} />}
            <View className="assist__rules">
              <Text className="assist__section">活动规则</Text>
              <Text className="assist__meta">{assist.rules}</Text>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
