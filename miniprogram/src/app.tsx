import { type PropsWithChildren } from 'react';
import Taro, { useDidHide, useDidShow, useLaunch } from '@tarojs/taro';
import { BRAND } from './utils/theme';
import { ensureSession } from './api/session';
import { refreshConsent } from './api/client';
import { acceptPendingInvite, keepLaunchInvite } from './api/invites';
import { keepLaunchScene, recordPendingArrival } from './api/referrals';
import { bindTrackerToConsent, loadTrackingConfig, tracker } from './api/tracking';
import type { ArrivalResult } from '@shared/contracts/referrals';
import { getConsent, onConsentConfirmed } from './privacy/consent';
import { listenForPrivacyAuthorization } from './utils/privacy-authorization';
// Imported here, not from app.scss, so it is scaled with NutUI's own 375 design width.
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.scss';

/** A page's script or style that did not arrive (offline, a flaky network): said, never thrown at the customer. */
function reportFailedChunks(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return;
  let showing = false;
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason as { name?: string; message?: string } | undefined;
    if (!(reason?.name === 'ChunkLoadError' || /Loading (CSS )?chunk/.test(reason?.message ?? ''))) return;
    event.preventDefault();
    if (showing) return;
    showing = true;
    void Taro.showModal({ title: '网络不可用', content: '页面未能加载，请检查网络后重试。', confirmText: '重试', confirmColor: BRAND, showCancel: false }).then(() => {
      showing = false;
      if (navigator.onLine) window.location.reload();
    });
  });
}

/** H5's title bar (drawn by Taro): its icon buttons get names and finger-sized targets. */
function labelTitleBar(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  for (const [selector, name] of [
    ['.taro-navigation-bar-back', '返回'],
    ['.taro-navigation-bar-home', '首页'],
  ]) {
    const button = document.querySelector(selector);
    button?.setAttribute('role', 'button');
    button?.setAttribute('aria-label', name);
  }
}

// H5 fetches the first page's script before it launches the app: sign in meanwhile, not after
// (the launch below then joins this login instead of starting another).
if (process.env.TARO_ENV === 'h5') ensureSession().catch(() => undefined);

/**
 * A mini-program code opens the home page with its scene: what was shared (an assist, an
 * activity) is opened from there. A shared link already opens its own page.
 */
function openShared(arrival: ArrivalResult | null) {
  const pages = Taro.getCurrentPages();
  const here = (pages[pages.length - 1]?.route ?? '').replace(/^\//, '');
  if (!arrival || !here.startsWith('pages/index/index')) return;
  if (arrival.assistId) void Taro.navigateTo({ url: `/packages/referral/assist/index?id=${arrival.assistId}` });
  else if (arrival.activityId) void Taro.navigateTo({ url: `/packages/activity/detail/index?id=${arrival.activityId}` });
}

/** What a shared link or code brought (a friend's invite, the sharer's scene), sent once the customer has agreed. */
function applyPendingReferrals() {
  Promise.all([acceptPendingInvite(), recordPendingArrival()])
    .then(([, arrival]) => openShared(arrival))
    .catch(() => undefined); // kept on the phone: tried again on the next launch
}

/**
 * The BFF's word on consent. Until it answers, a hint on the phone lets pages load but sends
 * nothing that waits for consent: asked again a little later when it cannot be reached, and on return.
 */
let confirming = false;
function confirmConsent(attempt = 0) {
  if (confirming && attempt === 0) return;
  confirming = true;
  ensureSession()
    .then(refreshConsent)
    .then(
      () => void (confirming = false),
      () => {
        if (attempt < 5) setTimeout(() => confirmConsent(attempt + 1), 2000 * 2 ** attempt);
        else confirming = false;
      },
    );
}

function App({ children }: PropsWithChildren) {
  // Silent login: the customer never sees a login screen inside WeChat. Nothing about them is
  // recorded before they agree to the privacy policy (the gate on every page asks): an invite or
  // a share's scene waits on the phone, events wait in memory, and both go once they agree.
  useLaunch((options) => {
    listenForPrivacyAuthorization();
    reportFailedChunks();
    labelTitleBar();
    keepLaunchInvite(options ?? {});
    keepLaunchScene(options ?? {});
    bindTrackerToConsent();
    onConsentConfirmed(applyPendingReferrals, { now: true });
    confirmConsent();
    ensureSession()
      .then(loadTrackingConfig)
      .catch(() => undefined); // pages show their own error state if it failed
  });
  useDidShow(() => {
    if (!getConsent().confirmed) confirmConsent();
  });
  // The app going to the background: what was tracked leaves now, not after a timer that may never fire.
  useDidHide(() => void tracker.flush());
  return children;
}

export default App;
