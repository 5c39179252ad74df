import type { FunctionComponent } from 'react';
import { View } from '@tarojs/components';
import { Coupon, Gift, Location, Order, Store, User, Video } from '@nutui/icons-react-taro';
import { LINE_ICONS, type LineIconName } from './paths';
import './index.scss';

type NutIcon = FunctionComponent<{ className?: string; size?: string | number; color?: string }>;

/** Where NutUI's outline set has the glyph, it is used; the rest are the app's own (`paths.ts`), in the same weight. */
const NUTUI: Partial<Record<IconName, NutIcon>> = { gift: Gift, order: Order, location: Location, store: Store, coupon: Coupon, live: Video, user: User };

export type IconName = LineIconName;

/** A line icon as a CSS mask: it takes the colour of its text (`color`), in WeChat and H5 alike. */
const maskOf = (name: LineIconName) => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#000" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${LINE_ICONS[name]}</svg>`;
  const url = `url("data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}") center / contain no-repeat`;
  return { mask: url, WebkitMask: url, backgroundColor: 'currentColor' };
};

/**
 * One icon of the app's set. Decorative: hidden from screen readers, the control next to it
 * carries the words. `size` is a class modifier (see index.scss): s 32, m 44, l 56 design px.
 */
export function Icon({ name, size = 'm', className = '' }: { name: IconName; size?: 's' | 'm' | 'l'; className?: string }) {
  const Nut = NUTUI[name];
  return (
    <View className={`icon icon--${size} ${className}`} aria-hidden="true" data-icon={name}>
      {Nut ? <Nut className="icon__glyph" /> : <View className="icon__glyph" style={maskOf(name)} />}
    </View>
  );
}
