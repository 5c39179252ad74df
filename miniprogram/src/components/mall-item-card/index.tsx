import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MallItemSummary } from '../../../../shared/contracts/mall';
import { blockedLabels, formatPrice } from '../../utils/format';
import { ItemCover } from '../item-cover';
import './index.scss';

/** One item in the mall grid: price, and whether it can be redeemed, before any tap. */
export function MallItemCard({ item }: { item: MallItemSummary }) {
  const low = item.stock > 0 && item.stock <= 10;
  return (
    <View
      className={`mall-item-card ${item.blockedBy ? 'mall-item-card--blocked' : ''}`}
      data-testid='mall-item'
      data-code={item.code}
      onClick={() => Taro.navigateTo({ url: `/packages/mall/item/index?id=${item.id}` })}
    >
      <ItemCover type={item.type} cover={item.cover} label={item.typeName} />
      <Text className='mall-item-card__title'>{item.title}</Text>
      <Text className='mall-item-card__price'>{formatPrice(item.pricePoints, item.cashYuan)}</Text>
      <Text className='mall-item-card__state' data-testid='mall-item-state'>
        {item.blockedBy ? blockedLabels[item.blockedBy] : low ? `仅剩 ${item.stock} 件` : '可兑换'}
      </Text>
    </View>
  );
}
