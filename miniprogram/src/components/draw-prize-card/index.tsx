import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { MyDrawPrize } from '@shared/contracts/draws';
import { claimDrawPrize } from '../../api/draws';
import { getMyAddresses } from '../../api/mall';
import { formatDate } from '../../utils/format';
import { toastError } from '../../utils/toast';
import { addressDetour } from '../../utils/address-detour';
import { BRAND } from '../../utils/theme';
import { Icon } from '../icon';
import { prizeIcon } from '../nine-grid/layout';
import './index.scss';

const STATE = { none: '', issued: '已发放', to_claim: '待领取', claimed: '已领取，待发货', shipped: '已发货', expired: '已过期' } as const;
const KIND = { points: '积分', coupon: '优惠券', physical: '实物奖品', mall_item: '商城好礼', none: '' } as const;
const NEW_ADDRESS = '新增收货地址';

type SavedAddress = Awaited<ReturnType<typeof getMyAddresses>>['items'][number];

/** Claiming ships the prize to this address and cannot be undone: said in full before it is done. */
async function confirmAndClaim(prize: MyDrawPrize, address: SavedAddress, onChange: () => void, setBusy: (b: boolean) => void) {
  const { confirm } = await Taro.showModal({
    title: '确认领取',
    content: `「${prize.prizeName}」将寄往：${address.name} ${address.phone}，${address.region} ${address.detail}。领取后地址不可更改。`,
    confirmText: '确认领取',
    confirmColor: BRAND,
  });
  if (!confirm) return;
  setBusy(true);
  try {
    await claimDrawPrize(prize.drawId, address.id);
    Taro.showToast({ title: '领取成功，等待发货', icon: 'none' });
    onChange();
  } finally {
    setBusy(false);
  }
}

/**
 * Picks one of the customer's saved addresses, or adds one in 地址管理 and comes back to this
 * prize, then confirms and claims.
 */
async function claimWithAddress(prize: MyDrawPrize, onChange: () => void, setBusy: (b: boolean) => void, savedId: string | null = null) {
  try {
    const { items } = await getMyAddresses();
    const justSaved = items.find((a) => a.id === savedId);
    if (justSaved) return await confirmAndClaim(prize, justSaved, onChange, setBusy);
    const shown = items.slice(0, 5);
    const labels = shown.map((a) => `${a.name} ${a.region} ${a.detail}`);
    const tapIndex = labels.length ? (await Taro.showActionSheet({ itemList: [...labels, NEW_ADDRESS] })).tapIndex : 0;
    if (tapIndex === labels.length) {
      addressDetour.start(prize.drawId);
      void Taro.navigateTo({ url: '/packages/me/addresses/index?add=1' });
      return;
    }
    await confirmAndClaim(prize, shown[tapIndex], onChange, setBusy);
  } catch (err) {
    if ((err as { errMsg?: string })?.errMsg?.includes('cancel')) return; // the customer closed the sheet
    toastError(err);
  }
}

/** One prize won in a draw: what it is, its state, and the one thing to do with it. */
export function DrawPrizeCard({ prize, onChange }: { prize: MyDrawPrize; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  useDidShow(() => {
    // Back from 地址管理, opened to claim this prize: go on with the address saved there.
    const savedId = addressDetour.end(prize.drawId);
    if (savedId) void claimWithAddress(prize, onChange, setBusy, savedId);
  });
  return (
    <View className="draw-prize-card" data-testid="draw-prize-card" data-state={prize.state}>
      <View className="draw-prize-card__head">
        <Text className="draw-prize-card__kind">{KIND[prize.kind]}</Text>
        <Text className={`draw-prize-card__state draw-prize-card__state--${prize.state}`} data-testid="draw-prize-state">
          {STATE[prize.state]}
        </Text>
      </View>
      <View className="draw-prize-card__title">
        <View className={`draw-prize-card__icon draw-prize-card__icon--${prizeIcon({ kind: prize.kind, name: prize.prizeName })[1]}`}>
          <Icon name={prizeIcon({ kind: prize.kind, name: prize.prizeName })[0]} />
        </View>
        <Text className="draw-prize-card__name">{prize.prizeName}</Text>
      </View>
      <Text className="draw-prize-card__meta">
        {prize.activityTitle} · {formatDate(prize.at)} 抽中
      </Text>
      {prize.couponCode && (
        <View className="draw-prize-card__code" onClick={() => Taro.setClipboardData({ data: prize.couponCode! })}>
          <Text className="draw-prize-card__meta">券码（点击复制）</Text>
          <Text className="draw-prize-card__code-value" data-testid="draw-prize-code">
            {prize.couponCode}
          </Text>
          {prize.validUntil && <Text className="draw-prize-card__meta">{formatDate(prize.validUntil)} 前有效</Text>}
        </View>
      )}
      {prize.shipping && (
        <Text className="draw-prize-card__meta">
          {prize.shipping.name} {prize.shipping.phone} {prize.shipping.region} {prize.shipping.detail}
          {prize.shipping.trackingNo ? `\n${prize.shipping.carrier} 运单号 ${prize.shipping.trackingNo}` : ''}
        </Text>
      )}
      {prize.orderId && (
        <Text className="draw-prize-card__link" data-testid="draw-prize-order" onClick={() => Taro.navigateTo({ url: '/packages/mall/orders/index' })}>
          在「我的订单」查看兑付与物流 ›
        </Text>
      )}
      {prize.state === 'to_claim' && (
        <>
          {prize.claimBy && <Text className="draw-prize-card__meta">请在 {formatDate(prize.claimBy)} 前领取，逾期视为放弃</Text>}
          <Button
            type="primary"
            className="draw-prize-card__claim"
            loading={busy}
            disabled={busy}
            onClick={() => claimWithAddress(prize, onChange, setBusy)}
            data-testid="draw-prize-claim"
          >
            {busy ? '领取中…' : '填写地址领取'}
          </Button>
        </>
      )}
    </View>
  );
}
