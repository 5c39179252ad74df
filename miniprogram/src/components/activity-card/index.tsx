import { useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CustomerActivity } from '@shared/contracts/activities';
import { activityArt } from '../../api/media';
import { useExposure } from '../../hooks/useExposure';
import { formatDay } from '../../utils/format';
import { rewardLine } from './reward-line';
import './index.scss';

/** `slot` and `position` say where the card was shown, for its impression and click events. */
type ActivityCardProps = { activity: CustomerActivity; slot: string; position: number };

export function openActivity(id: string) {
  Taro.navigateTo({ url: `/packages/activity/detail/index?id=${encodeURIComponent(id)}` });
}

/** One live activity in a list: what it is, what it pays, until when. */
export function ActivityCard({ activity, slot, position }: ActivityCardProps) {
  const exposure = useExposure({ activityId: activity.id }, slot, position);
  // A cover that fails to load gives way to the artwork of the activity's type.
  const [broken, setBroken] = useState(false);
  return (
    <View
      id={exposure.id}
      className="activity-card"
      data-testid="activity-card"
      onClick={() => {
        exposure.click();
        openActivity(activity.id);
      }}
    >
      <Image
        className={`activity-card__cover activity-card__cover--${activity.type}`}
        src={activityArt(broken ? { ...activity, images: {} } : activity)}
        onError={() => setBroken(true)}
        mode="aspectFill"
        lazyLoad
        aria-hidden="true"
        data-testid="activity-card-art"
      />
      <View className="activity-card__body">
        <Text className="activity-card__title">{activity.title}</Text>
        {activity.reward && (
          <Text className="activity-card__reward" data-testid="activity-card-reward">
            {rewardLine(activity)}
          </Text>
        )}
        <View className="activity-card__meta">
          <Text className="activity-card__type">{activity.typeName}</Text>
          <Text>截至 {formatDay(activity.endAt)}</Text>
          {activity.joined && <Text className="activity-card__joined">已参与</Text>}
        </View>
      </View>
    </View>
  );
}
