import { View } from '@tarojs/components';
import { PrivacyText } from '@/components/privacy-text';
import './index.scss';

/** 隐私政策, readable again at any time from 我的. */
export default function PrivacyPage() {
  return (
    <View className="privacy-page" data-testid="privacy-page">
      <PrivacyText />
    </View>
  );
}
