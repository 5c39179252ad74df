import { View, Text } from '@tarojs/components';
import { PRIVACY_POLICY_VERSION } from '@shared/privacy';
import './index.scss';

/**
 * What the bank collects in this mini-program, why, and for how long (PIPL arts. 13-17): shown
 * before consent and again from 我的 - 隐私政策. It names only what the app really collects.
 */
export const PRIVACY_SECTIONS: { title: string; text: string }[] = [
  {
    title: '我们收集哪些信息',
    text: '微信登录标识（openid/unionid）、您主动授权的手机号、收货地址（兑换实物时填写）、签到与活动参与记录、积分与订单记录。我们不会读取您的通讯录、相册或位置。',
  },
  { title: '为什么收集', text: '识别您的身份并保障账户安全；发放积分、奖品并配送实物；统计活动效果。开启“个性化推荐”时，我们会依据您的客户标签推荐活动，您可随时在设置中关闭。' },
  { title: '保存多久', text: '积分与订单记录在您使用本服务期间及其后依法规定的期限内保存（金融交易记录不少于 5 年）；收货地址在您删除后即不再使用。' },
  { title: '您的权利', text: '您可以查阅本政策、撤回个性化推荐授权、申请删除个人信息（我的 - 设置 - 申请删除个人信息），银行将在 15 个工作日内处理并通知您。' },
  { title: '共享与委托处理', text: '实物配送与话费充值由银行委托的合作方完成，仅提供完成该笔服务所必需的信息，并以合同约束其保密义务。' },
];

export function PrivacyText() {
  return (
    <View className="privacy-text">
      <Text className="privacy-text__version">版本 {PRIVACY_POLICY_VERSION}</Text>
      {PRIVACY_SECTIONS.map((s) => (
        <View key={s.title} className="privacy-text__section">
          <Text className="privacy-text__title">{s.title}</Text>
          <Text className="privacy-text__body">{s.text}</Text>
        </View>
      ))}
    </View>
  );
}
