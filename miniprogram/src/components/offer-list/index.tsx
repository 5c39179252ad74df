import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { dismissOffer, type MyOffer } from '../../api/offers';
import { openActivity } from '../activity-card';
import { askConsentIfRefused } from '../../utils/toast';
import './index.scss';

/** 专属推荐: what an event just earned the customer, with 不感兴趣 on each. Nothing at all when there is none. */
export function OfferList({ offers, onChange }: { offers: MyOffer[]; onChange: () => void }) {
  if (offers.length === 0) return null;
  const turnDown = async (offer: MyOffer) => {
    const { tapIndex } = await Taro.showActionSheet({ itemList: ['不再推荐这一类', '不再接收任何专属推荐'] }).catch(() => ({ tapIndex: -1 }));
    if (tapIndex < 0) return;
    await dismissOffer(offer.id, tapIndex === 1).then(
      () => Taro.showToast({ title: '已为您减少此类推荐', icon: 'none' }),
      (err) => void (askConsentIfRefused(err) || Taro.showToast({ title: '操作失败，请稍后重试', icon: 'none' })),
    );
    onChange();
  };
  return (
    <View className="offer-list" data-testid="offer-list">
      <Text className="offer-list__title">专属推荐</Text>
      {offers.map((offer) => (
        <View key={offer.id} className="offer-list__item" data-testid="offer">
          <View className="offer-list__text">
            <Text className="offer-list__name">{offer.title}</Text>
            <Text className="offer-list__desc">{offer.description}</Text>
          </View>
          <View className="offer-list__actions">
            {offer.activityId && (
              <View className="offer-list__button" onClick={() => openActivity(offer.activityId!)}>
                去看看
              </View>
            )}
            <View className="offer-list__button offer-list__button--quiet" data-testid="offer-dismiss" onClick={() => void turnDown(offer)}>
              不感兴趣
            </View>
          </View>
        </View>
      ))}
    </View>
  );
}
