import { View } from '@tarojs/components';
import { StateView } from '../../components/state-view';

export default function MallPage() {
  return (
    <View className='mall-page'>
      <StateView empty emptyText='积分商城暂无上架商品' />
    </View>
  );
}
