import { useState } from 'react';
import { View, Text, ScrollView } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMallHome } from '../../api/mall';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { MallItemCard } from '../../components/mall-item-card';
import './index.scss';
import { PrivacyGate } from '../../components/privacy-gate';

const ALL = '';

export default function MallPage() {
  const { data, error, stale, loading, reload } = useApi(getMallHome, { reloadOnShow: true, cache: 'mall.home' });
  const [category, setCategory] = useState(ALL);
  const items = (data?.items ?? []).filter((i) => category === ALL || i.categoryCode === category);
  return (
    <View className='mall-page'>
      <PrivacyGate />
      <StateView loading={loading} error={error} stale={stale} onRetry={reload}>
        {data && (
          <>
            <View className='mall-page__header'>
              <View>
                <Text className='mall-page__label'>我的积分</Text>
                <Text className='mall-page__points' data-testid='mall-points'>
                  {data.balance}
                </Text>
              </View>
              <View className='mall-page__links'>
                <Text className='mall-page__link' onClick={() => Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
                  签到赚积分
                </Text>
                <Text className='mall-page__link' data-testid='mall-orders-link' onClick={() => Taro.navigateTo({ url: '/packages/mall/orders/index' })}>
                  我的订单
                </Text>
              </View>
            </View>
            <ScrollView className='mall-page__tabs' scrollX>
              {[{ code: ALL, name: '全部' }, ...data.categories].map((c) => (
                <Text key={c.code} className={`mall-page__tab ${category === c.code ? 'mall-page__tab--on' : ''}`} onClick={() => setCategory(c.code)}>
                  {c.name}
                </Text>
              ))}
            </ScrollView>
            <StateView empty={items.length === 0} emptyText='该分类暂无可兑换商品'>
              <View className='mall-page__grid'>
                {items.map((item) => (
                  <MallItemCard key={item.id} item={item} />
                ))}
              </View>
            </StateView>
          </>
        )}
      </StateView>
    </View>
  );
}
