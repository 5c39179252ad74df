export default defineAppConfig({
  pages: ['pages/index/index', 'pages/mall/index', 'pages/activities/index', 'pages/me/index', 'pages/activity/index', 'pages/checkin/index', 'pages/mall-item/index', 'pages/mall-confirm/index', 'pages/mall-result/index', 'pages/orders/index', 'pages/quiz/index'],
  window: {
    navigationBarTitleText: '悦享银行',
    navigationBarBackgroundColor: '#c8152d',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f8',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#7a7e87',
    selectedColor: '#c8152d',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', iconPath: 'assets/tab-home.png', selectedIconPath: 'assets/tab-home-on.png', text: '首页' },
      { pagePath: 'pages/mall/index', iconPath: 'assets/tab-mall.png', selectedIconPath: 'assets/tab-mall-on.png', text: '积分商城' },
      { pagePath: 'pages/activities/index', iconPath: 'assets/tab-activities.png', selectedIconPath: 'assets/tab-activities-on.png', text: '活动' },
      { pagePath: 'pages/me/index', iconPath: 'assets/tab-me.png', selectedIconPath: 'assets/tab-me-on.png', text: '我的' },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
  // WeChat refuses wx.chooseAddress unless the app declares it (the confirm page offers the WeChat address).
  requiredPrivateInfos: ['chooseAddress'],
});
