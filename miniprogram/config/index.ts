import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { DEMO_SERVICE_HOTLINE, SERVICE_HOTLINE_PATTERN } from '../../shared/service-hotline';

// `MINIPROGRAM_ENV=production` is the build shipped to customers: no fake WeChat login, and
// an explicit HTTPS API base. Anything else is the development build that `npm start` and tests use.
const production = process.env.MINIPROGRAM_ENV === 'production';
const apiBase = process.env.TARO_APP_API_BASE ?? (process.env.TARO_ENV === 'h5' ? '' : 'http://127.0.0.1:3000');
if (production && !apiBase.startsWith('https://')) {
  throw new Error('MINIPROGRAM_ENV=production needs TARO_APP_API_BASE set to the HTTPS address of the BFF');
}
// Offered in H5 where WeChat's 客服 conversation cannot open: a customer build carries the bank's own number.
const serviceHotline = process.env.TARO_APP_SERVICE_HOTLINE ?? (production ? '' : DEMO_SERVICE_HOTLINE);
if (!SERVICE_HOTLINE_PATTERN.test(serviceHotline)) {
  throw new Error('TARO_APP_SERVICE_HOTLINE must be the bank’s customer-service number (digits, e.g. 95xxx); a production build needs it set');
}

const shared = path.resolve(__dirname, '../../shared');

/**
 * The app's and pages' `*.config.ts`: Taro reads them outside webpack's module graph, so a warm
 * build cache would keep an old title or tab bar unless a change to them drops the cache.
 */
const pageConfigs = (readdirSync(path.resolve(__dirname, '../src'), { recursive: true, encoding: 'utf8' }) as string[])
  .filter((f) => f.endsWith('.config.ts'))
  .map((f) => path.resolve(__dirname, '../src', f));

/**
 * Code of one subpackage, kept out of the common chunk every page loads: its own folder, and the
 * relationship managers' workbench (packages/rm) with its sign-in, its table of staff operations
 * and its poster, which customers never load.
 */
const ownedBySubpackage = (resource = '') =>
  /[\\/]src[\\/]packages[\\/]|[\\/]src[\\/]api[\\/]staff\.ts$|[\\/]src[\\/]components[\\/]poster-canvas[\\/]|[\\/]shared[\\/]api[\\/]rm-operations\.ts$/.test(resource);

export default defineConfig<'webpack5'>(async () => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'bank-private-domain',
    date: '2026-11-24',
    // NutUI is drawn at 375 wide, our own styles at 750.
    designWidth(input) {
      const file = typeof input === 'object' && input ? (input as { file?: string }).file : undefined;
      return file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // The same aliases as miniprogram/tsconfig.json.
    alias: { '@': path.resolve(__dirname, '../src'), '@shared': shared },
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBase),
      FAKE_WECHAT_LOGIN: JSON.stringify(!production),
      FAKE_WECHAT_BASE: JSON.stringify(process.env.TARO_APP_FAKE_WECHAT_BASE ?? '/__fake-wechat'),
      SERVICE_HOTLINE: JSON.stringify(serviceHotline),
    },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: true, buildDependencies: { config: [__filename, ...pageConfigs] } },
    mini: {
      compile: { include: [shared] },
      postcss: { pxtransform: { enable: true, config: {} }, cssModules: { enable: false } },
      // Taro copies what several subpackages share, and the main package does not, into each of
      // them (the address form with NutUI's cascader, tabs and popup went into both mall/ and me/).
      // Excluded from that, it goes to the main package's common chunk once; a subpackage's own
      // code stays in it.
      optimizeMainPackage: { enable: true, exclude: [(module: { resource?: string }) => !ownedBySubpackage(module.resource)] },
      // Styles are BEM-scoped per component, so the order NutUI's CSS lands in the common chunk does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [shared] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: { autoprefixer: { enable: true, config: {} }, cssModules: { enable: false } },
      // Taro splits only what the app's entry loads: each page, loaded on demand, carried its own
      // copy of NutUI and of our shared code. What two pages or more use goes to one chunk, fetched
      // once and kept by the browser for every page after.
      webpackChain(chain) {
        const splitChunks = chain.optimization.get('splitChunks') as { cacheGroups?: Record<string, unknown> };
        chain.optimization.splitChunks({
          ...splitChunks,
          cacheGroups: {
            ...splitChunks.cacheGroups,
            common: {
              name: 'common',
              chunks: 'async',
              minChunks: 2,
              priority: 20,
              reuseExistingChunk: true,
              test: (module: { resource?: string }) => !ownedBySubpackage(module.resource),
            },
          },
        });
      },
    },
  };
  return config;
});
