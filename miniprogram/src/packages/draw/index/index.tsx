import { useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { DrawOutcome, MyDraw } from '@shared/contracts/draws';
import { buyDrawChance, drawOnce, getMyDraw } from '@/api/draws';
import { newIdempotencyKey } from '@/api/idempotency';
import { getMyPoints } from '@/api/points';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { NineGrid } from '@/components/nine-grid';
import { prizeIcon } from '@/components/nine-grid/layout';
import { Icon } from '@/components/icon';
import { formatDate } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { BRAND } from '@/utils/theme';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { requestConsent, useConsent } from '@/privacy/consent';
import { ApiError, consentRequiredError } from '@/api/client';

const KIND = { points: '积分', coupon: '优惠券', physical: '实物', mall_item: '商城好礼', none: '—' } as const;

/**
 * Whether an error is the BFF's definite answer that nothing stands (a refusal: no points, no
 * chance, quota reached), after which the next tap is a new intent with a new key. No answer
 * (network), a server failure or a busy answer may have been carried out: the key is kept.
 */
const settled = (err: unknown) => err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;

function quotaText(left: MyDraw['drawsLeft']): string | null {
  const parts = [
    left.today !== null && `今日还可抽 ${left.today} 次`,
    left.month !== null && `本月还可抽 ${left.month} 次`,
    left.total !== null && `活动期间还可抽 ${left.total} 次`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** What the light landed on, said plainly: what was won and what to do next. */
function announce(outcome: DrawOutcome) {
  if (!outcome.won) {
    void Taro.showModal({ title: '谢谢参与', content: '这次没有抽中，再接再厉！', showCancel: false, confirmText: '知道了', confirmColor: BRAND });
    return;
  }
  const next = outcome.claimBy
    ? `请在 ${formatDate(outcome.claimBy)} 前到「我的奖品」填写收货地址领取。`
    : outcome.kind === 'coupon'
      ? `券码 ${outcome.couponCode ?? ''} 已放入「我的奖品」。`
      : outcome.kind === 'mall_item'
        ? '奖品已放入「我的奖品」，兑付详情见「我的订单」。'
        : `${outcome.points ?? ''} 积分已到账。`;
  void Taro.showModal({
    title: `恭喜抽中 ${outcome.prizeName}`,
    content: `${outcome.guaranteed ? '（保底奖励）' : ''}${next}`,
    confirmText: '查看奖品',
    cancelText: '继续抽奖',
    confirmColor: BRAND,
  }).then(({ confirm }) => {
    if (confirm) void Taro.navigateTo({ url: '/packages/me/prizes/index' });
  });
}

export default function DrawPage() {
  const id = useRouter().params.id ?? '';
  const { data: draw, error, stale, loading, reload } = useApi(() => getMyDraw(id), { reloadOnShow: true });
  const [buying, setBuying] = useState(false);
  // One key per tap of 抽奖: a retry of the same tap (a lost answer) gets the same outcome.
  const drawKey = useRef(newIdempotencyKey());
  // One key per purchase: kept across network errors and server failures (the points may have been
  // taken), so tapping again retries the same purchase; a new one only after an answer settles it.
  const buyKey = useRef<string | null>(null);

  async function onDraw(): Promise<DrawOutcome> {
    if (!requestConsent()) throw consentRequiredError(); // the sheet asks; the grid stops where it is
    try {
      const outcome = await drawOnce(id, drawKey.current);
      drawKey.current = newIdempotencyKey();
      return outcome;
    } catch (err) {
      toastError(err);
      reload();
      throw err;
    }
  }

  async function buy() {
    if (!draw || buying || !requestConsent()) return;
    const points = await getMyPoints().catch(() => null);
    if (points && points.balance < draw.costPoints) {
      void Taro.showModal({
        title: '积分不足',
        content: `兑换一次需要 ${draw.costPoints} 积分，您当前有 ${points.balance} 积分。`,
        showCancel: false,
        confirmText: '知道了',
        confirmColor: BRAND,
      });
      return;
    }
    const after = points ? `，兑换后剩余 ${points.balance - draw.costPoints} 积分` : '';
    const { confirm } = await Taro.showModal({
      title: '兑换抽奖机会',
      content: `使用 ${draw.costPoints} 积分兑换 1 次抽奖机会${after}。`,
      confirmText: '确认兑换',
      confirmColor: BRAND,
    });
    if (!confirm) return;
    setBuying(true);
    buyKey.current ??= newIdempotencyKey();
    try {
      await buyDrawChance(id, buyKey.current);
      buyKey.current = null;
      Taro.showToast({ title: '已兑换 1 次抽奖机会', icon: 'none' });
      reload();
    } catch (err) {
      if (settled(err)) buyKey.current = null;
      toastError(err);
    } finally {
      setBuying(false);
    }
  }

  // Before consent the draw is for reading: its button asks for consent rather than saying 暂无机会.
  const consented = useConsent().status === 'granted';
  const outOfQuota = draw ? [draw.drawsLeft.today, draw.drawsLeft.month, draw.drawsLeft.total].some((n) => n !== null && n < 1) : false;
  // Before its start a draw's rules are published (开奖前公示); drawing and buying open at the start.
  const notStarted = !!draw && !draw.open;
  const canDraw = !!draw && draw.open && draw.chances > 0 && !outOfQuota;
  const quota = draw ? quotaText(draw.drawsLeft) : null;

  return (
    <View className="draw-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} stale={stale} onRetry={reload}>
        {draw && (
          <>
            <View className="draw-page__head">
              <Text className="draw-page__title">{draw.title}</Text>
              <Text className="draw-page__meta">{notStarted ? `活动 ${formatDate(draw.startAt)} 开始，截至 ${formatDate(draw.endAt)}` : `活动截至 ${formatDate(draw.endAt)}`}</Text>
            </View>
            <View className="draw-page__board">
              <NineGrid
                prizes={draw.prizes}
                fallbackCode={draw.fallbackCode}
                canDraw={!notStarted && (canDraw || !consented)}
                buttonLabel={notStarted ? '未开始' : canDraw || !consented ? '抽奖' : '暂无机会'}
                onDraw={onDraw}
                onLanded={(o) => (announce(o), reload())}
              />
              {notStarted && (
                <Text className="draw-page__notice" data-testid="draw-not-started">
                  活动将于 {formatDate(draw.startAt)} 开始，奖品与概率已公示如下。
                </Text>
              )}
              <Text className="draw-page__chances" data-testid="draw-chances">
                {consented ? `剩余抽奖机会 ${draw.chances} 次` : '同意隐私政策后可查看您的抽奖机会'}
              </Text>
              {quota && <Text className="draw-page__meta draw-page__meta--center">{quota}</Text>}
              {draw.guarantee && (
                <Text className="draw-page__meta draw-page__meta--center" data-testid="draw-guarantee">
                  连续 {draw.guarantee.afterLosses} 次未中奖，下一次必中（已连续 {draw.guarantee.lossesSoFar} 次）
                </Text>
              )}
              {draw.allSoldOut && (
                <Text className="draw-page__notice" data-testid="draw-sold-out">
                  奖品已全部抽完，继续抽奖只会是“谢谢参与”。
                </Text>
              )}
              {outOfQuota && <Text className="draw-page__notice">已达到抽奖次数上限，感谢参与。</Text>}
            </View>
            <View className="draw-page__earn">
              <Text className="draw-page__section">获取更多机会</Text>
              <View className="draw-page__earn-row">
                <Button className="draw-page__earn-button" fill="outline" onClick={() => void Taro.switchTab({ url: '/pages/activities/index' })} data-testid="draw-earn">
                  去做任务
                </Button>
                {draw.costPoints > 0 && (
                  <Button className="draw-page__earn-button" type="primary" loading={buying} disabled={buying || outOfQuota || notStarted} onClick={buy} data-testid="draw-buy">
                    {buying ? '兑换中…' : `${draw.costPoints} 积分换一次`}
                  </Button>
                )}
              </View>
            </View>
            <View className="draw-page__rules" data-testid="draw-rules">
              <Text className="draw-page__section">奖品与概率（开奖前公示，活动期间不变）</Text>
              {draw.prizes.map((p) => (
                <View key={p.code} className="draw-page__prize" data-testid="draw-prize" data-code={p.code}>
                  <View className={`draw-page__prize-icon draw-page__prize-icon--${prizeIcon(p)[1]}`}>
                    <Icon name={prizeIcon(p)[0]} size="s" />
                  </View>
                  <View className="draw-page__prize-body">
                    <Text className="draw-page__prize-name">
                      {p.name}
                      {/* The kind, unless the name already says it (88 积分 is not 88 积分 积分). */}
                      {!p.name.includes(KIND[p.kind]) && <Text className="draw-page__prize-kind"> {KIND[p.kind]}</Text>}
                    </Text>
                    <Text className="draw-page__prize-meta">
                      概率 {p.oddsPercent}%{p.quantity !== null ? ` · 共 ${p.quantity} 份 · 剩余 ${p.left} 份` : ''}
                      {p.dailyCap !== null ? ` · 每日限 ${p.dailyCap} 份` : ''}
                      {p.perCustomerCap !== null ? ` · 每人限中 ${p.perCustomerCap} 次` : ''}
                      {p.validDays !== null ? ` · 中奖后 ${p.validDays} 天内有效` : ''}
                    </Text>
                  </View>
                </View>
              ))}
              <Text className="draw-page__prize-meta" data-testid="draw-grid-note">
                九宫格的 8 个格子依次展示上列奖品，奖品多次出现只为排满格子，不改变中奖概率；结果由系统按上表概率抽取，灯光停在抽中的奖品上。
              </Text>
              <Text className="draw-page__prize-meta">某奖品抽完后，其概率计入“谢谢参与”。实物奖品须在中奖后 {draw.claimDays} 天内填写地址领取，逾期视为放弃。</Text>
              <Text className="draw-page__section">活动规则</Text>
              <Text className="draw-page__text">{draw.rules}</Text>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
