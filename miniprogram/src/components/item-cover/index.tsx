import { useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import type { MallItemType } from '@shared/contracts/mall';
import { mediaUrl } from '../../api/media';
import './index.scss';

const GLYPHS: Record<MallItemType, string> = { coupon: '券', topup: '充', membership: '会', physical: '礼', perk: '享' };

/** The item's picture, or a drawn tile by kind when it has none or it fails to load. */
export function ItemCover({ type, cover, label, large = false }: { type: MallItemType; cover: string | null; label: string; large?: boolean }) {
  const [broken, setBroken] = useState(false);
  const className = `item-cover item-cover--${type} ${large ? 'item-cover--large' : ''}`;
  if (cover && !broken) return <Image className={className} src={mediaUrl(cover)} mode="aspectFill" lazyLoad onError={() => setBroken(true)} data-testid="item-cover-image" />;
  return (
    <View className={className}>
      <Text className="item-cover__glyph">{GLYPHS[type]}</Text>
      <Text className="item-cover__label">{label}</Text>
    </View>
  );
}
