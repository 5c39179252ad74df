import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MallItemSummary } from '@shared/contracts/mall';
import { blockedLabels, formatPrice } from '../../utils/format';
import { useExposure } from '../../hooks/useExposure';
import { ItemCover } from '../item-cover';
import './index.scss';

/** One item in the mall grid: price, and whether it can be redeemed, before any tap. */
export function MallItemCard({ item, tier, position }: { item: MallItemSummary; tier: string | null; position: number }) {
  const exposure = useExposure({ itemId: item.id }, 'mall_grid', position);
  const low = item.stock > 0 && item.stock <= 10;
  const tiers = item.allowedTiers.join('/');
  const state =
    item.blockedBy === 'tier_not_allowed'
      ? `${tiers} 专享 · ${tier ? `您的等级 ${tier}` : '您暂无会员等级'}`
      : item.blockedBy
        ? blockedLabels[item.blockedBy]
        : low
          ? `仅剩 ${item.stock} 件`
          : '可兑换';
  return (
    <View
      id={exposure.id}
      className={`mall-item-card ${item.blockedBy ? 'mall-item-card--blocked' : ''}`}
      data-testid="mall-item"
      data-code={item.code}
      onClick={() => {
        exposure.click();
        void Taro.navigateTo({ url: `/packages/mall/item/index?id=${item.id}` });
      }}
    >
      <ItemCover type={item.type} cover={item.cover} label={item.typeName} />
      {tiers && <Text className="mall-item-card__tier">{tiers} 专享</Text>}
      <Text className="mall-item-card__title">{item.title}</Text>
      <Text className="mall-item-card__price">{formatPrice(item.pricePoints, item.cashYuan)}</Text>
      <Text className="mall-item-card__state" data-testid="mall-item-state">
        {state}
      </Text>
    </View>
  );
}
