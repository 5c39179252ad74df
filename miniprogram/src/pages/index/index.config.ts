export default definePageConfig({ navigationBarTitleText: '悦享银行' });
