export default definePageConfig({ navigationBarTitleText: '联名优惠' });
