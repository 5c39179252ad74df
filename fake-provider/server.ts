import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonServer, readJson, sendJson } from '../fake-wechat/json-http';

/**
 * A stand-in for the partner that delivers phone top-ups and memberships, for development
 * and tests: a real HTTP server on loopback. A product answers by its code (`FAIL-…` fails,
 * `HANG-…` never answers) unless told otherwise at `POST /__fake/products/:code`.
 * Orders are idempotent by the caller's request id, as a real partner's are.
 */
type FakeProviderOptions = { apiKey: string };
type Mode = 'ok' | 'fail' | 'hang';
type Order = { requestId: string; productCode: string; account: string; status: 'succeeded' | 'failed' | 'pending' | 'cancelled'; reference: string | null };

export function createFakeProvider(options: FakeProviderOptions) {
  const orders = new Map<string, Order>();
  const modes = new Map<string, Mode>();
  const modeOf = (code: string): Mode => modes.get(code) ?? (code.startsWith('FAIL-') ? 'fail' : code.startsWith('HANG-') ? 'hang' : 'ok');

  const view = (o: Order) => ({ requestId: o.requestId, status: o.status, reference: o.reference });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '__fake' && parts[1] === 'products' && parts[2] && req.method === 'POST') {
      const mode = (await readJson(req)).mode;
      if (mode !== 'ok' && mode !== 'fail' && mode !== 'hang') return sendJson(res, 400, { error: 'mode must be ok, fail or hang' });
      modes.set(decodeURIComponent(parts[2]), mode);
      return sendJson(res, 200, { productCode: parts[2], mode });
    }
    if (req.headers['x-api-key'] !== options.apiKey) return sendJson(res, 401, { error: 'bad api key' });
    if (req.method === 'POST' && url.pathname === '/v1/orders') {
      const body = await readJson(req);
      const { requestId, productCode, account } = body as Record<string, string>;
      if (!requestId || !productCode || !account) return sendJson(res, 400, { error: 'requestId, productCode and account are required' });
      let order = orders.get(requestId);
      if (!order) {
        const mode = modeOf(productCode);
        order = {
          requestId,
          productCode,
          account,
          status: mode === 'ok' ? 'succeeded' : mode === 'fail' ? 'failed' : 'pending',
          reference: mode === 'ok' ? `P${randomBytes(6).toString('hex')}` : null,
        };
        orders.set(requestId, order);
      }
      if (order.status === 'pending') return; // hangs: the connection stays open until the caller gives up
      return sendJson(res, 200, view(order));
    }
    if (parts[0] === 'v1' && parts[1] === 'orders' && parts[2]) {
      const order = orders.get(decodeURIComponent(parts[2]));
      if (!order) return sendJson(res, 404, { error: 'no such order' });
      if (req.method === 'GET' && parts.length === 3) return sendJson(res, 200, view(order));
      if (req.method === 'POST' && parts[3] === 'cancel') {
        if (order.status === 'pending') order.status = 'cancelled';
        return sendJson(res, 200, view(order));
      }
    }
    return sendJson(res, 404, { error: `no such api: ${req.method} ${url.pathname}` });
  }

  const http = jsonServer(handle);
  return {
    setMode: (productCode: string, mode: Mode) => modes.set(productCode, mode),
    order: (requestId: string) => orders.get(requestId) ?? null,
    ...http,
  };
}

export type FakeProvider = ReturnType<typeof createFakeProvider>;
