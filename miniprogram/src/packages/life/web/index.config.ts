export default definePageConfig({ navigationBarTitleText: '生活服务' });
