export default definePageConfig({ navigationBarTitleText: '隐私政策与个人信息处理规则' });
