import { useEffect, useReducer, useState } from 'react';
import { View, Text, Button, ScrollView } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { consentToPrivacy } from '../../api/privacy';
import { declineConsent, dismissConsentSheet, requestConsent, sheetWanted, useConsent } from '../../privacy/consent';
import { authorizationPending, onAuthorizationNeeded, settleAuthorization } from '../../utils/privacy-authorization';
import { PRIVACY_SECTIONS } from '../privacy-text';
import { toastError } from '../../utils/toast';
import './index.scss';

/** What needs consent, and what works without it: said the same in the sheet and on the banner. */
const NEEDS_CONSENT = '签到、积分、任务、兑换、抽奖、答题、助力、领券、预约';
const BROWSABLE = '浏览活动、积分商城、生活服务和直播';

/**
 * The consent gate, one for the whole mini-program: every page renders it first (a weapp page
 * cannot be covered by the App). It draws, from the one consent state (privacy/consent):
 * - the sheet asking for consent to the bank's privacy policy (PIPL arts. 13, 14, 24) while the
 *   customer has not chosen, or when they tap something that needs consent; on weapp its agree
 *   button is WeChat's own (`agreePrivacyAuthorization`), so one tap answers WeChat's privacy
 *   authorisation too;
 * - after 不同意, a slim banner: browse-only, what needs consent, and 同意隐私政策 to agree later.
 */
export function PrivacyGate() {
  const consent = useConsent();
  const [busy, setBusy] = useState(false);
  // WeChat asking before a privacy API (getPhoneNumber, chooseAddress …): the same sheet answers it.
  const [, wechatChanged] = useReducer((n: number) => n + 1, 0);
  useEffect(() => onAuthorizationNeeded(wechatChanged), []);
  const wechatAsks = authorizationPending();

  const showing = sheetWanted(consent) || wechatAsks;
  // The tab bar is drawn above any page (natively on weapp): it goes while the choice is open.
  useEffect(() => {
    if (!showing) return undefined;
    Taro.hideTabBar({ animation: false }).catch(() => undefined); // not a tab page: nothing to hide
    return () => void Taro.showTabBar({ animation: false }).catch(() => undefined);
  }, [showing]);

  async function agree() {
    if (busy) return;
    setBusy(true);
    try {
      if (consent.status !== 'granted') await consentToPrivacy();
      settleAuthorization('agree');
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  function decline() {
    settleAuthorization('disagree');
    if (consent.status === 'granted') dismissConsentSheet();
    else declineConsent();
  }

  const readFull = () => {
    if (process.env.TARO_ENV === 'weapp' && Taro.openPrivacyContract) void Taro.openPrivacyContract({});
    else void Taro.navigateTo({ url: '/packages/me/privacy/index' });
  };

  return (
    <>
      {!showing && consent.status === 'declined' && (
        <View className="privacy-banner" data-testid="privacy-banner" role="status">
          <Text className="privacy-banner__text">当前仅可浏览。{NEEDS_CONSENT}等需同意隐私政策后使用。</Text>
          <View className="privacy-banner__button" role="button" data-testid="privacy-banner-agree" onClick={() => requestConsent()}>
            同意隐私政策
          </View>
        </View>
      )}
      {!showing && consent.status === 'deletion' && (
        <View className="privacy-banner" data-testid="privacy-banner" role="status">
          <Text className="privacy-banner__text">您已申请删除个人信息，银行处理期间仅可{BROWSABLE}。</Text>
        </View>
      )}
      {showing && (
        <View className="privacy-gate" data-testid="privacy-gate">
          <View className="privacy-gate__sheet" role="dialog" aria-label="隐私保护提示">
            <Text className="privacy-gate__title">隐私保护提示</Text>
            {/* Only the text scrolls: the choice stays in reach on the smallest phone. */}
            <ScrollView className="privacy-gate__body" scrollY data-testid="privacy-body">
              <Text className="privacy-gate__lead">感谢您使用悦享银行小程序。使用前，请阅读我们如何收集和使用您的个人信息：</Text>
              {PRIVACY_SECTIONS.slice(0, 3).map((s) => (
                <Text key={s.title} className="privacy-gate__item">
                  <Text className="privacy-gate__item-title">{s.title}：</Text>
                  {s.text}
                </Text>
              ))}
              <Text className="privacy-gate__item" data-testid="privacy-decline-means">
                <Text className="privacy-gate__item-title">如果您不同意：</Text>
                您仍可{BROWSABLE}，我们不会采集您的浏览行为用于统计分析；{NEEDS_CONSENT}
                等需要处理您个人信息的服务，在您同意后才能使用。您可随时通过页面顶部的“同意隐私政策”重新选择。
              </Text>
              <Text className="privacy-gate__link" data-testid="privacy-read" onClick={readFull}>
                阅读完整的《隐私政策与个人信息处理规则》
              </Text>
            </ScrollView>
            {/* Never `disabled` (H5 greys even disabled={false}): a second tap while it is saving does nothing. */}
            <View className="privacy-gate__actions">
              <Button className="privacy-gate__button privacy-gate__button--secondary" data-testid="privacy-decline" onClick={decline}>
                不同意
              </Button>
              {process.env.TARO_ENV === 'weapp' ? (
                <Button id="privacy-agree" className="privacy-gate__button" openType="agreePrivacyAuthorization" onAgreePrivacyAuthorization={() => void agree()}>
                  {busy ? '提交中…' : '同意并继续'}
                </Button>
              ) : (
                <Button className="privacy-gate__button" data-testid="privacy-agree" onClick={() => void agree()}>
                  {busy ? '提交中…' : '同意并继续'}
                </Button>
              )}
            </View>
          </View>
        </View>
      )}
    </>
  );
}
