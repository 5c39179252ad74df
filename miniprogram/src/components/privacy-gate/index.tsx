import { useEffect, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PRIVACY_POLICY_VERSION } from '../../../../shared/privacy';
import { consentToPrivacy, getMyPrivacy } from '../../api/privacy';
import { authorizationPending, onAuthorizationNeeded, settleAuthorization } from '../../utils/privacy-authorization';
import { PRIVACY_SECTIONS } from '../privacy-text';
import { toastError } from '../../utils/toast';
import './index.scss';

const CONSENT_KEY = 'bank.privacyConsent';

/**
 * The first-launch consent to the bank's privacy policy (PIPL), and WeChat's privacy
 * authorisation in the same popup: on weapp its agree button is WeChat's own
 * (`agreePrivacyAuthorization`), so one tap answers both. Shown until the customer agrees.
 */
export function PrivacyGate() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [declined, setDeclined] = useState(false);

  useEffect(() => {
    if (Taro.getStorageSync(CONSENT_KEY) === PRIVACY_POLICY_VERSION) return undefined;
    getMyPrivacy().then(
      (mine) => {
        if (mine.consentedAt) Taro.setStorageSync(CONSENT_KEY, PRIVACY_POLICY_VERSION);
        else setOpen(true);
      },
      () => undefined, // the page shows its own error; asked again on the next page
    );
    return undefined;
  }, []);
  useEffect(() => onAuthorizationNeeded(() => setOpen(true)), []);
  // The tab bar is drawn above any page (natively on weapp): it goes while the choice is open.
  const showing = open || authorizationPending();
  useEffect(() => {
    if (!showing) return undefined;
    Taro.hideTabBar({ animation: false }).catch(() => undefined); // not a tab page: nothing to hide
    return () => void Taro.showTabBar({ animation: false }).catch(() => undefined);
  }, [showing]);

  async function agree() {
    if (busy) return;
    setBusy(true);
    try {
      await consentToPrivacy();
      Taro.setStorageSync(CONSENT_KEY, PRIVACY_POLICY_VERSION);
      settleAuthorization('agree');
      setOpen(false);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  function decline() {
    settleAuthorization('disagree');
    setDeclined(true);
  }

  const readFull = () => {
    if (process.env.TARO_ENV === 'weapp' && Taro.openPrivacyContract) void Taro.openPrivacyContract({});
    else void Taro.navigateTo({ url: '/packages/me/privacy/index' });
  };

  if (!showing) return null;
  return (
    <View className='privacy-gate' data-testid='privacy-gate'>
      <View className='privacy-gate__sheet' role='dialog' aria-label='隐私保护提示'>
        <Text className='privacy-gate__title'>隐私保护提示</Text>
        <Text className='privacy-gate__lead'>感谢您使用悦享银行小程序。使用前，请阅读我们如何收集和使用您的个人信息：</Text>
        {PRIVACY_SECTIONS.slice(0, 3).map((s) => (
          <Text key={s.title} className='privacy-gate__item'>
            <Text className='privacy-gate__item-title'>{s.title}：</Text>
            {s.text}
          </Text>
        ))}
        <Text className='privacy-gate__link' data-testid='privacy-read' onClick={readFull}>
          阅读完整的《隐私政策与个人信息处理规则》
        </Text>
        {declined && <Text className='privacy-gate__declined'>不同意将无法使用签到、积分和兑换等服务。您可随时重新选择。</Text>}
        <View className='privacy-gate__actions'>
          <Button className='privacy-gate__button privacy-gate__button--secondary' data-testid='privacy-decline' onClick={decline}>
            不同意
          </Button>
          {process.env.TARO_ENV === 'weapp' ? (
            <Button id='privacy-agree' className='privacy-gate__button' openType='agreePrivacyAuthorization' onAgreePrivacyAuthorization={() => void agree()} disabled={busy}>
              同意并继续
            </Button>
          ) : (
            <Button className='privacy-gate__button' data-testid='privacy-agree' onClick={() => void agree()} disabled={busy}>
              同意并继续
            </Button>
          )}
        </View>
      </View>
    </View>
  );
}
