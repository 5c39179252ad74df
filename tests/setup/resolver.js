// Jest resolves the path aliases of each app's tsconfig: `@shared/` is shared/, and `@/` is the
// src folder of the app the importing file belongs to (the BFF's unless it is the mini-program's or the console's).
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const APPS = ['miniprogram/src', 'console/src'].map((p) => path.join(ROOT, p));

module.exports = (request, options) => {
  if (request.startsWith('@shared/')) return options.defaultResolver(path.join(ROOT, 'shared', request.slice('@shared/'.length)), options);
  if (request.startsWith('@/')) {
    const app = APPS.find((a) => options.basedir.startsWith(a + path.sep)) ?? path.join(ROOT, 'bff/src');
    return options.defaultResolver(path.join(app, request.slice(2)), options);
  }
  return options.defaultResolver(request, options);
};
