import { useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import type { MallItemType } from '@shared/contracts/mall';
import { mediaUrl } from '../../api/media';
import { Icon, type IconName } from '../icon';
import './index.scss';

const ICONS: Record<MallItemType, IconName> = { coupon: 'coupon', topup: 'mobile', membership: 'crown', physical: 'gift', perk: 'star' };

/** The item's picture, or a drawn tile by kind when it has none or it fails to load. */
export function ItemCover({ type, cover, label, large = false }: { type: MallItemType; cover: string | null; label: string; large?: boolean }) {
  const [broken, setBroken] = useState(false);
  const className = `item-cover item-cover--${type} ${large ? 'item-cover--large' : ''}`;
  if (cover && !broken) return <Image className={className} src={mediaUrl(cover)} mode="aspectFill" lazyLoad onError={() => setBroken(true)} data-testid="item-cover-image" />;
  return (
    <View className={className}>
      <View className="item-cover__badge">
        <Icon name={ICONS[type]} size="l" />
      </View>
      <Text className="item-cover__label">{label}</Text>
    </View>
  );
}
