import { View } from '@tarojs/components';
import { StateView } from '../../components/state-view';

export default function ActivitiesPage() {
  return (
    <View className='activities-page'>
      <StateView empty emptyText='暂无进行中的活动' />
    </View>
  );
}
