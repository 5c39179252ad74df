import { type PropsWithChildren } from 'react';
import Taro, { useDidHide, useLaunch } from '@tarojs/taro';
import { BRAND } from './utils/theme';
import { ensureSession } from './api/session';
import { acceptLaunchInvite } from './api/invites';
import { recordLaunchArrival } from './api/referrals';
import { loadTrackingConfig, tracker } from './api/tracking';
import type { ArrivalResult } from '../../shared/contracts/referrals';
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

function App({ children }: PropsWithChildren) {
  // Silent login: the customer never sees a login screen inside WeChat.
  useLaunch((options) => {
    listenForPrivacyAuthorization();
    reportFailedChunks();
    labelTitleBar();
    ensureSession()
      .then(() => Promise.all([acceptLaunchInvite(options ?? {}), recordLaunchArrival(options ?? {}), loadTrackingConfig()]))
      .then(([, arrival]) => openShared(arrival))
      .catch(() => undefined); // pages show their own error state if it failed
  });
  // The app going to the background: what was tracked leaves now, not after a timer that may never fire.
  useDidHide(() => void tracker.flush());
  return children;
}

export default App;
