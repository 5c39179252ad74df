import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Cell, Switch } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import { getMyProfile } from '@/api/profile';
import { setPersonalized } from '@/api/points';
import { getMyPrivacy, requestDataDeletion } from '@/api/privacy';
import { logout } from '@/api/session';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { formatDate } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { isConsentRefusal } from '@/api/client';
import { requestConsent } from '@/privacy/consent';
import { BRAND } from '@/utils/theme';
import { ContactService } from '@/components/contact-service';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

/** The profile needs consent; the privacy section (the policy, consent, a deletion request) never does. */
async function load() {
  const [profile, privacy] = await Promise.all([getMyProfile().catch((err) => (isConsentRefusal(err) ? null : Promise.reject(err))), getMyPrivacy()]);
  return { profile, privacy };
}

/** 设置: personalised marketing, the privacy policy, a data-deletion request, customer service, log-out. */
export default function SettingsPage() {
  const { data, error, loading, reload } = useApi(load);
  const [personalized, setLocal] = useState<boolean | null>(null);
  const on = personalized ?? data?.profile?.personalized ?? true;

  async function toggle(value: boolean) {
    setLocal(value);
    try {
      await setPersonalized(value);
    } catch (err) {
      setLocal(!value);
      toastError(err);
    }
  }

  async function askDeletion() {
    const { confirm } = await Taro.showModal({
      title: '申请删除个人信息',
      content: '提交后，银行将在 15 个工作日内核实并删除您在本服务中的个人信息，届时积分、奖品和订单记录将一并清除（法律要求保存的交易记录除外）。',
      confirmText: '确认申请',
      confirmColor: BRAND,
    });
    if (!confirm) return;
    try {
      await requestDataDeletion();
      Taro.showToast({ title: '申请已提交', icon: 'none' });
      reload();
    } catch (err) {
      toastError(err);
    }
  }

  async function signOut() {
    const { confirm } = await Taro.showModal({
      title: '退出登录',
      content: '退出后将清除本机保存的登录信息和页面数据，再次打开时将重新登录。',
      confirmText: '退出',
      confirmColor: BRAND,
    });
    if (!confirm) return;
    await logout();
    void Taro.reLaunch({ url: '/pages/index/index' });
  }

  const deletion = data?.privacy.deletionRequest;
  return (
    <View className="settings-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload}>
        {data && (
          <>
            <Cell.Group title="隐私与授权" className="settings-page__group">
              {data.profile ? (
                <Cell
                  title="个性化推荐"
                  description="关闭后，将不再根据您的偏好和客户标签推荐活动"
                  extra={<Switch checked={on} onChange={toggle} data-testid="me-personalized" aria-label="个性化推荐" />}
                />
              ) : (
                !deletion && (
                  <View data-testid="settings-consent">
                    <Cell title="隐私政策授权" description="您尚未同意隐私政策，目前仅可浏览" extra="去同意" clickable onClick={() => requestConsent()} />
                  </View>
                )
              )}
              {/* NutUI's Cell drops data-* attributes: the wrapper carries the test id. */}
              <View data-testid="settings-privacy">
                <Cell title="隐私政策与个人信息处理规则" clickable onClick={() => void Taro.navigateTo({ url: '/packages/me/privacy/index' })} />
              </View>
              <View data-testid="settings-delete">
                <Cell
                  title="申请删除个人信息"
                  extra={deletion ? <Text data-testid="deletion-status">已于 {formatDate(deletion.requestedAt)} 提交，处理中</Text> : undefined}
                  clickable={!deletion}
                  onClick={() => !deletion && void askDeletion()}
                />
              </View>
            </Cell.Group>
            <Cell.Group title="帮助" className="settings-page__group">
              <Cell title="积分规则与常见问题" clickable onClick={() => void Taro.navigateTo({ url: '/packages/me/rules/index' })} />
              <ContactService className="settings-page__contact" testid="settings-contact" />
            </Cell.Group>
            <View className="settings-page__logout" data-testid="settings-logout" onClick={() => void signOut()}>
              退出登录
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
