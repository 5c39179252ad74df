import { createFakeWechat } from './server';

// Standalone fake WeChat for `npm start`; tests start it in-process.
const fake = createFakeWechat({
  appid: process.env.WECHAT_APPID ?? 'wxdemo0000000000',
  secret: process.env.WECHAT_SECRET ?? 'dev-wechat-secret',
});
fake.listen(Number(process.env.FAKE_WECHAT_PORT ?? 4010)).then((url) => {
  console.log(`fake wechat listening on ${url}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => fake.close().then(() => process.exit(0)));
