import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ApiError } from '../../api/client';
import { openLifeService, type LifeService } from '../../api/life';
import { mediaUrl } from '../../api/media';
import { openTarget } from '../../utils/open-service';
import { askConsentIfRefused } from '../../utils/toast';
import { Icon, type IconName } from '../icon';
import './index.scss';

/** A service without a picture of its own: an icon by what its name says, else by its category. */
const BY_NAME: [RegExp, IconName, string][] = [
  [/电/, 'power', 'amber'],
  [/水|燃气/, 'water', 'blue'],
  [/话费|充值|流量/, 'mobile', 'green'],
  [/社保/, 'shield', 'blue'],
  [/公积金|房/, 'house', 'amber'],
  [/医|药/, 'medical', 'red'],
  [/乘车|公交|地铁/, 'bus', 'green'],
  [/ETC|车/i, 'car', 'blue'],
  [/券|优惠/, 'coupon', 'red'],
  [/直播/, 'live', 'purple'],
  [/网点|银行/, 'bank', 'red'],
];
const BY_CATEGORY: Record<LifeService['category'], [IconName, string]> = {
  payments: ['mobile', 'green'],
  social_security: ['shield', 'blue'],
  medical: ['medical', 'red'],
  transport: ['bus', 'green'],
  cobrand: ['coupon', 'red'],
  bank: ['bank', 'red'],
};
export function serviceIcon(service: Pick<LifeService, 'name' | 'category'>): [IconName, string] {
  const hit = BY_NAME.find(([re]) => re.test(service.name));
  return hit ? [hit[1], hit[2]] : BY_CATEGORY[service.category];
}

/** Opens a service after the BFF has said where (it refuses one closed, or no longer allowed). */
async function open(service: LifeService) {
  try {
    const { target, firstUse } = await openLifeService(service.id);
    if (firstUse) void Taro.showToast({ title: '首次使用奖励已发放', icon: 'none' });
    await openTarget(target, service.name, service.id);
  } catch (err) {
    if (askConsentIfRefused(err)) return;
    void Taro.showToast({ title: err instanceof ApiError ? err.message : '暂时无法打开，请稍后重试', icon: 'none' });
  }
}

/** One service in the 生活 grid: its picture or icon, its name, and a notice when it cannot be used now. */
export function ServiceTile({ service }: { service: LifeService }) {
  const [icon, tint] = serviceIcon(service);
  return (
    <View className={`service-tile ${service.available ? '' : 'service-tile--off'}`} data-testid="life-service" data-name={service.name} onClick={() => void open(service)}>
      {service.icon ? (
        <Image className="service-tile__icon" src={mediaUrl(service.icon)} aria-hidden="true" />
      ) : (
        <View className={`service-tile__badge service-tile__badge--${service.available ? tint : 'off'}`} data-testid="life-service-icon">
          <Icon name={icon} />
        </View>
      )}
      <Text className="service-tile__name">{service.name}</Text>
      {!service.available && <Text className="service-tile__notice">{service.notice ?? '暂不可用'}</Text>}
    </View>
  );
}
