export default definePageConfig({ navigationBarTitleText: '积分规则与常见问题' });
