import { PARTNER_MINIPROGRAMS } from '@shared/life-rules';

export default defineAppConfig({
  // The tab pages only: everything else is a subpackage per feature, so the main package stays small as features arrive.
  pages: ['pages/index/index', 'pages/life/index', 'pages/mall/index', 'pages/activities/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/activity', name: 'activity', pages: ['detail/index', 'quiz/index', 'quiz-bank/index', 'leaderboard/index', 'checkin/index'] },
    { root: 'packages/mall', name: 'mall', pages: ['item/index', 'confirm/index', 'result/index', 'orders/index', 'order/index'] },
    { root: 'packages/draw', name: 'draw', pages: ['index/index'] },
    { root: 'packages/me', name: 'me', pages: ['points/index', 'prizes/index', 'addresses/index', 'settings/index', 'privacy/index', 'rules/index'] },
    { root: 'packages/referral', name: 'referral', pages: ['assist/index'] },
    // What a relationship manager shares from the content library (话术, 海报, 文章).
    { root: 'packages/content', name: 'content', pages: ['view/index'] },
    { root: 'packages/life', name: 'life', pages: ['web/index', 'coupons/index', 'coupon/index', 'lives/index', 'live/index'] },
    // Staff only: relationship managers sign in here with their bank account.
    { root: 'packages/rm', name: 'rm', pages: ['login/index', 'workbench/index', 'task/index'] },
  ],
  // Fetched in the background from the tab a customer is likely to leave for.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['activity'] },
    'pages/activities/index': { network: 'all', packages: ['activity'] },
    'packages/activity/detail/index': { network: 'all', packages: ['draw'] },
    'pages/mall/index': { network: 'all', packages: ['mall'] },
    'pages/me/index': { network: 'all', packages: ['me'] },
    'pages/life/index': { network: 'all', packages: ['life'] },
  },
  window: {
    navigationBarTitleText: '悦享银行',
    navigationBarBackgroundColor: '#c8152d',
    navigationBarTextStyle: 'white',
    // The weapp's title bar on H5 too: title, back and home buttons (Taro draws it only when asked).
    navigationStyle: 'default',
    backgroundColor: '#f5f6f8',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    // The same grey as $text-3 in styles/tokens.scss: 6.2:1 on white.
    color: '#5c626b',
    selectedColor: '#c8152d',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', iconPath: 'assets/tab-home.png', selectedIconPath: 'assets/tab-home-on.png', text: '首页' },
      { pagePath: 'pages/life/index', iconPath: 'assets/tab-life.png', selectedIconPath: 'assets/tab-life-on.png', text: '生活' },
      { pagePath: 'pages/mall/index', iconPath: 'assets/tab-mall.png', selectedIconPath: 'assets/tab-mall-on.png', text: '积分商城' },
      { pagePath: 'pages/activities/index', iconPath: 'assets/tab-activities.png', selectedIconPath: 'assets/tab-activities-on.png', text: '活动' },
      { pagePath: 'pages/me/index', iconPath: 'assets/tab-me.png', selectedIconPath: 'assets/tab-me-on.png', text: '我的' },
    ],
  },
  // The partner mini-programs 生活 may open (navigateToMiniProgram): the same list the BFF checks services against.
  navigateToMiniProgramAppIdList: Object.keys(PARTNER_MINIPROGRAMS),
  // WeChat's live-player plugin, for livestreams held in a plugin room rather than on Channels.
  plugins: { 'live-player-plugin': { version: '1.3.5', provider: 'wx2b03c6e691cd7370' } },
  lazyCodeLoading: 'requiredComponents',
  // WeChat's privacy authorisation: the app shows its own popup (components/privacy-gate) before any privacy API.
  __usePrivacyCheck__: true,
  // WeChat refuses wx.chooseAddress unless the app declares it (the confirm page offers the WeChat address).
  requiredPrivateInfos: ['chooseAddress'],
});
