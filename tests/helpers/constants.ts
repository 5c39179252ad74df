export const TEST_WECHAT = { appid: 'wxtest000000000001', secret: 'test-wechat-secret' };
export const TEST_PROVIDER_KEY = 'test-provider-key';
