import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ApiError } from '../../api/client';
import { openLifeService, type LifeService } from '../../api/life';
import { mediaUrl } from '../../api/media';
import { openTarget } from '../../utils/open-service';
import { askConsentIfRefused } from '../../utils/toast';
import './index.scss';

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

/** One service in the 生活 grid: its icon or first character, its name, and a notice when it cannot be used now. */
export function ServiceTile({ service }: { service: LifeService }) {
  return (
    <View className={`service-tile ${service.available ? '' : 'service-tile--off'}`} data-testid="life-service" data-name={service.name} onClick={() => void open(service)}>
      {service.icon ? <Image className="service-tile__icon" src={mediaUrl(service.icon)} /> : <Text className="service-tile__glyph">{service.name.slice(0, 1)}</Text>}
      <Text className="service-tile__name">{service.name}</Text>
      {!service.available && <Text className="service-tile__notice">{service.notice ?? '暂不可用'}</Text>}
    </View>
  );
}
