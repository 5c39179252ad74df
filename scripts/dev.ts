// The development stack behind `npm start`: database, fake WeChat, BFF with demo data, H5 build, admin console.
import path from 'node:path';
import { start as startBff } from '../bff/src/main';
import { DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_STAFF } from '../bff/demo/people';
import { createFakeBank } from '../fake-bank/server';
import { createFakeProvider } from '../fake-provider/server';
import { createFakeWechat } from '../fake-wechat/server';
import { ensureFerretdb, MissingGoError, ROOT, startFerretdb, type RunningFerretdb } from './lib/ferretdb';
import { ensureConsoleBuilt } from './lib/console-build';
import { resetOnSchemaChange } from './lib/dev-data';
import { distDir, ensureMiniprogramBuilt } from './lib/miniprogram-build';
import { serveH5 } from './lib/serve-h5';

const ports = {
  db: Number(process.env.DB_PORT ?? 27027),
  wechat: Number(process.env.FAKE_WECHAT_PORT ?? 4010),
  provider: Number(process.env.FAKE_PROVIDER_PORT ?? 4020),
  bank: Number(process.env.FAKE_BANK_PORT ?? 4030),
  bff: Number(process.env.PORT ?? 3000),
  h5: Number(process.env.H5_PORT ?? 10086),
  console: Number(process.env.CONSOLE_PORT ?? 10088),
};
const PROVIDER_KEY = 'dev-provider-key';
const exportDir = path.join(ROOT, '.data/exports');
const BANK_WEBHOOK_SECRET = 'dev-bank-webhook-secret-0123456789abcdef';
const WECHAT = { appid: process.env.WECHAT_APPID ?? 'wxdemo0000000000', secret: process.env.WECHAT_SECRET ?? 'dev-wechat-secret' };
const log = (line: string) => console.log(`[start] ${line}`);

async function main() {
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let mongodbUri = process.env.MONGODB_URI;
  if (mongodbUri) {
    log('MONGODB_URI is set: using that database, no FerretDB started.');
  } else {
    try {
      ensureFerretdb(log);
    } catch (err) {
      if (err instanceof MissingGoError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
    const ferret: RunningFerretdb = await startFerretdb({ port: ports.db, dataDir: path.join(ROOT, '.data/ferretdb') });
    stops.push(ferret.stop);
    mongodbUri = `${ferret.uri}bank`;
    log(`FerretDB on 127.0.0.1:${ports.db}, data in .data/ferretdb (kept between runs while the schema version stays)`);
    await resetOnSchemaChange(mongodbUri, exportDir, log);
  }

  const wechat = createFakeWechat(WECHAT);
  const wechatUrl = await wechat.listen(ports.wechat);
  stops.push(wechat.close);
  const provider = createFakeProvider({ apiKey: PROVIDER_KEY });
  const providerUrl = await provider.listen(ports.provider);
  stops.push(provider.close);
  const bank = createFakeBank({ secret: BANK_WEBHOOK_SECRET });
  const bankUrl = await bank.listen(ports.bank);
  stops.push(bank.close);

  const h5Origin = `http://127.0.0.1:${ports.h5}`;
  const bff = await startBff({
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(ports.bff),
    MONGODB_URI: mongodbUri,
    WECHAT_API_BASE: wechatUrl,
    WECHAT_APPID: WECHAT.appid,
    WECHAT_SECRET: WECHAT.secret,
    MALL_PROVIDER_URL: providerUrl,
    MALL_PROVIDER_KEY: PROVIDER_KEY,
    H5_ORIGIN: h5Origin,
    BANK_WEBHOOK_URL: `${bankUrl}${bank.path}`,
    BANK_WEBHOOK_SECRET,
    BANK_EXPORT_DIR: exportDir,
    SEED_DEMO: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  stops.push(bff.stop);
  const bffUrl = `http://127.0.0.1:${bff.port}`;

  await ensureMiniprogramBuilt('h5', { log, quiet: true });
  const h5 = await serveH5({ root: distDir('h5'), port: ports.h5, bffUrl, fakeWechatUrl: wechatUrl });
  stops.push(h5.close);
  const adminConsole = await serveH5({ root: await ensureConsoleBuilt({ log }), port: ports.console, bffUrl });
  stops.push(adminConsole.close);

  console.log(`
  银行私域运营 — development stack is up (Ctrl-C stops everything)

  H5 mini-program   ${h5.url}/            (as demo customer 1; add ?openid=${DEMO_CUSTOMERS[1].openid} for customer 2)
  Admin console     ${adminConsole.url}/           (staff logins below; admin-sh is a Shanghai branch admin)
  BFF API           ${bffUrl}/api/v1       (OpenAPI: ${bffUrl}/api/v1/openapi.json, health: ${bffUrl}/healthz)
  Fake WeChat       ${wechatUrl}
  Fake top-up partner ${providerUrl}   (product codes FAIL-… fail, HANG-… never answer)
  Fake bank receiver ${bankUrl}${bank.path}   (what arrived: ${bankUrl}/__fake/received; daily NDJSON files in .data/exports)
  Weapp build       npm run build:weapp, then open this folder in WeChat DevTools

  Demo staff logins (POST /api/v1/auth/staff), password ${DEMO_PASSWORD}:
${DEMO_STAFF.map((s) => `    ${s.username.padEnd(9)} ${s.role.padEnd(9)} ${s.orgUnitId}`).join('\n')}
  Demo customers (WeChat openid): ${DEMO_CUSTOMERS.map((c) => c.openid).join(', ')}
`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
