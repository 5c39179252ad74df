import { View, Text } from '@tarojs/components';
import { StateView } from '../../components/state-view';
import './index.scss';

export default function HomePage() {
  return (
    <View className='home-page'>
      <View className='home-page__hero'>
        <Text className='home-page__greeting'>您好，欢迎来到悦享银行</Text>
        <Text className='home-page__sub'>签到、答题、抽奖，积分好礼等您来拿</Text>
      </View>
      <StateView empty emptyText='暂无进行中的活动，敬请期待' />
    </View>
  );
}
