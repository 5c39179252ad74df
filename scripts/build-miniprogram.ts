import { buildMiniprogram, type Target } from './lib/miniprogram-build';

const target = process.argv[2] as Target;
if (target !== 'h5' && target !== 'weapp') {
  console.error('usage: build-miniprogram.ts h5|weapp');
  process.exit(2);
}
buildMiniprogram(target).catch((err) => {
  console.error(err.message);
  process.exit(1);
});
