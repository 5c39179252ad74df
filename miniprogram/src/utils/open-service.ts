import Taro from '@tarojs/taro';
import type { ServiceTarget } from '@shared/contracts/life';
import { PARTNER_MINIPROGRAMS } from '@shared/life-rules';

/**
 * Goes where the BFF said: a partner mini-program (weapp only), an allowlisted page in web-view
 * (by the service's id: the web-view page asks the BFF for the address, never takes one from its
 * query), or one of ours.
 */
export async function openTarget(target: ServiceTarget, title: string, serviceId: string): Promise<void> {
  if (target.kind === 'page') {
    const tab = /^\/pages\/(index|life|mall|activities|me)\/index$/.test(target.path);
    await (tab ? Taro.switchTab({ url: target.path }) : Taro.navigateTo({ url: target.path }));
  } else if (target.kind === 'web') {
    await Taro.navigateTo({ url: `/packages/life/web/index?service=${encodeURIComponent(serviceId)}` });
  } else if (process.env.TARO_ENV === 'weapp') {
    await Taro.navigateToMiniProgram({ appId: target.appId, path: target.path });
  } else {
    await Taro.showModal({
      title: '请在微信中使用',
      content: `「${PARTNER_MINIPROGRAMS[target.appId] ?? title}」是微信小程序，请在微信中打开本服务。`,
      showCancel: false,
      confirmText: '知道了',
    });
  }
}
