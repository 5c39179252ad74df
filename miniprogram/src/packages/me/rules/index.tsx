import { View, Text } from '@tarojs/components';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

/** 积分规则与常见问题: the rules the BFF applies, in the customer's words. */
const FAQ: { q: string; a: string }[] = [
  { q: '怎样获得积分？', a: '每日签到、完成任务、答题通过、参加活动和邀请好友都可获得积分，以各活动页面写明的规则为准。' },
  { q: '积分什么时候过期？', a: '每笔积分自获得之日起有效期至次年 12 月 31 日（北京时间）。即将过期的积分会在“我的”和积分明细中提示，兑换时优先使用最早过期的积分。' },
  { q: '兑换后可以退吗？', a: '实物商品发货前可在“我的订单”中取消，积分原路退回；券码、话费等虚拟商品一经发放不可退。退回的积分保持原有效期，已过期的部分不再退回。' },
  { q: '为什么有的商品不能兑换？', a: '可能已兑完、超过每人限兑数量、仅限特定会员等级，或积分不足；商品卡片和兑换按钮上会写明原因。' },
  { q: '补签怎么算？', a: '本月或上月漏签的日期可补签，每次消耗相应积分，每月次数有限；补签可接续连续签到天数，但不另得签到积分。' },
  { q: '积分可以转让吗？', a: '积分仅限本人使用，不可转让、不可兑换现金。' },
];

export default function RulesPage() {
  return (
    <View className="rules-page">
      <PrivacyGate />
      {FAQ.map((f) => (
        <View key={f.q} className="rules-page__item" data-testid="faq-item">
          <Text className="rules-page__q">{f.q}</Text>
          <Text className="rules-page__a">{f.a}</Text>
        </View>
      ))}
    </View>
  );
}
