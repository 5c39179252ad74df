import { View, Text, Swiper, SwiperItem, Image } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { getMallItem } from '@/api/mall';
import { mediaUrl } from '@/api/media';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { ItemCover } from '@/components/item-cover';
import { blockedLabels, formatDate, formatPrice } from '@/utils/format';
import './index.scss';
import { usePageView } from '@/hooks/usePageView';
import { PrivacyGate } from '@/components/privacy-gate';
import { requestConsent } from '@/privacy/consent';

export default function MallItemPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const { data: item, error, loading, reload } = useApi(() => getMallItem(id), { reloadOnShow: true });
  const limits = item ? [item.limits.perDay && `每日限兑 ${item.limits.perDay} 次`, item.limits.lifetime && `每人限兑 ${item.limits.lifetime} 次`].filter(Boolean).join('，') : '';
  return (
    <View className="mall-item-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload}>
        {item && (
          <>
            {item.gallery.length ? (
              <Swiper className="mall-item-page__gallery" indicatorDots circular>
                {item.gallery.map((src) => (
                  <SwiperItem key={src}>
                    <Image className="mall-item-page__photo" src={mediaUrl(src)} mode="aspectFill" />
                  </SwiperItem>
                ))}
              </Swiper>
            ) : (
              <ItemCover type={item.type} cover={item.cover} label={item.typeName} large />
            )}
            <View className="mall-item-page__card">
              <Text className="mall-item-page__price" data-testid="item-price">
                {formatPrice(item.pricePoints, item.cashYuan)}
              </Text>
              <Text className="mall-item-page__title">{item.title}</Text>
              <Text className="mall-item-page__meta">
                {item.typeName} · 剩余 {item.stock} 件{limits ? ` · ${limits}` : ''}
              </Text>
              {item.cashYuan ? <Text className="mall-item-page__meta">现金部分仅作展示，需在兑换后按指引另行支付</Text> : null}
            </View>
            <View className="mall-item-page__card">
              <Text className="mall-item-page__section">商品说明</Text>
              <Text className="mall-item-page__text">{item.description || '暂无说明'}</Text>
              <Text className="mall-item-page__section">兑换须知</Text>
              <Text className="mall-item-page__text">
                {`兑换时间：${formatDate(item.saleWindow.startAt)} 至 ${formatDate(item.saleWindow.endAt)}。${item.allowedTiers.length ? `限 ${item.allowedTiers.join('、')} 等级客户兑换。` : ''}${
                  item.type === 'physical' ? '实物商品发货前可取消订单，积分原路退回；发货后不支持取消。' : '虚拟商品兑换成功后不支持退换。'
                }`}
              </Text>
            </View>
            <View className="mall-item-page__bar">
              <Button
                type="primary"
                block
                disabled={item.blockedBy !== null}
                data-testid="item-redeem"
                onClick={() => requestConsent() && Taro.navigateTo({ url: `/packages/mall/confirm/index?id=${item.id}` })}
              >
                {item.blockedBy ? blockedLabels[item.blockedBy] : '立即兑换'}
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
