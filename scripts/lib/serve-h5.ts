import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { constants as zlibConstants, createBrotliCompress, createGzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg']);

/** The pages are never framed by another site (clickjacking a console button), and types are not sniffed. */
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'", 'Referrer-Policy': 'same-origin' };

function proxy(req: IncomingMessage, res: ServerResponse, target: string, pathname: string) {
  const url = new URL(pathname, target);
  const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.once('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用', requestId: 'h5-proxy' }));
  });
  req.pipe(upstream);
}

/**
 * Serves a static build (the H5 mini-program, the admin console) and, on the same origin, forwards /api to the BFF and /__fake-wechat
 * to the fake WeChat server, as a bank's gateway would: the browser sees one site.
 */
export async function serveH5(options: { root: string; port?: number; host?: string; bffUrl: string; fakeWechatUrl?: string }) {
  const root = path.resolve(options.root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://h5');
    if (url.pathname.startsWith('/api/')) return proxy(req, res, options.bffUrl, url.pathname + url.search);
    if (options.fakeWechatUrl && url.pathname.startsWith('/__fake-wechat/')) {
      return proxy(req, res, options.fakeWechatUrl, url.pathname.slice('/__fake-wechat'.length) + url.search);
    }
    let requested: string;
    try {
      requested = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      // A malformed escape (`/%E0%A4%A`) is the client's error, not a reason for the server to fall over.
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      return res.end('bad request');
    }
    const file = path.resolve(root, `.${requested}`);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      return res.end('not found');
    }
    // Text goes compressed (brotli, else gzip), as a bank's gateway or CDN would send it.
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = COMPRESSIBLE.has(path.extname(file)) ? (/\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null) : null;
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      // File names carry a content hash, so everything but the page itself can be cached for good.
      'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
      ...SECURITY_HEADERS,
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    });
    const body = createReadStream(file);
    if (encoding === 'br') body.pipe(createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })).pipe(res);
    else if (encoding === 'gzip') body.pipe(createGzip()).pipe(res);
    else body.pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
