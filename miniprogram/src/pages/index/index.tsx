import { View, Text } from '@tarojs/components';
import { Swiper } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/swiper/style/css';
import { listMyActivities } from '../../api/activities';
import { getCheckinCalendar } from '../../api/checkin';
import { CheckinCard } from '../../components/checkin-card';
import { useApi } from '../../hooks/useApi';
import { StateView, SectionTitle } from '../../components/state-view';
import { ActivityCard, openActivity } from '../../components/activity-card';
import './index.scss';
import { PrivacyGate } from '../../components/privacy-gate';

export default function HomePage() {
  const { data: activities, error, loading, reload } = useApi(listMyActivities, { reloadOnShow: true });
  const checkin = useApi(getCheckinCalendar, { reloadOnShow: true });
  const featured = (activities ?? []).slice(0, 3);
  return (
    <View className='home-page'>
      <PrivacyGate />
      <View className='home-page__hero'>
        <Text className='home-page__greeting'>您好，欢迎来到悦享银行</Text>
        <Text className='home-page__sub'>签到、答题、抽奖，积分好礼等您来拿</Text>
      </View>
      {checkin.data && (
        <View className='home-page__checkin'>
          <CheckinCard calendar={checkin.data} onChange={checkin.reload} />
        </View>
      )}
      <StateView loading={loading} error={error} onRetry={reload} empty={activities?.length === 0} emptyText='暂无进行中的活动，敬请期待'>
        {featured.length > 0 && (
          <Swiper className='home-page__banner' autoPlay={featured.length > 1} loop={featured.length > 1} indicator={featured.length > 1} height={150}>
            {featured.map((a) => (
              <Swiper.Item key={a.id}>
                <View
                  className={`home-page__slide home-page__slide--${a.type}`}
                  style={a.images.banner ? { backgroundImage: `url(${a.images.banner})` } : undefined}
                  data-testid='banner-slide'
                  onClick={() => openActivity(a.id)}
                >
                  <Text className='home-page__slide-type'>{a.typeName}</Text>
                  <Text className='home-page__slide-title'>{a.title}</Text>
                </View>
              </Swiper.Item>
            ))}
          </Swiper>
        )}
        <SectionTitle>为您推荐</SectionTitle>
        {(activities ?? []).map((a) => (
          <ActivityCard key={a.id} activity={a} />
        ))}
      </StateView>
    </View>
  );
}
