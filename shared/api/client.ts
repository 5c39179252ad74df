import { pathOf, type Method, type RequestOf, type ResponseOf } from './endpoint';
import type { Api, OperationId } from './index';
import { OPERATIONS } from './operations';

/** One call as it goes on the wire: the path has its parameters and query filled in, under `/api/v1`'s root. */
export type WireRequest = { operationId: OperationId; method: Method; path: string; body?: unknown; headers?: Record<string, string> };

/** Sends a request and answers its body; how (Taro.request, fetch, a token, retries) is the client's own. */
export type Transport = (request: WireRequest) => Promise<unknown>;

type Args<K extends OperationId> = Partial<RequestOf<Api[K]>> extends RequestOf<Api[K]> ? [request?: RequestOf<Api[K]>] : [request: RequestOf<Api[K]>];

/** `?a=1&b=x`, leaving out what is undefined; arrays repeat their name. */
function queryString(query: Record<string, unknown> | undefined): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const v of [value].flat()) if (v !== undefined && v !== null) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** The wire form of a call to `operationId`, from the contract's method and path. */
export function wireRequest<K extends OperationId>(operationId: K, request: RequestOf<Api[K]> | undefined): WireRequest {
  const { method, path } = OPERATIONS[operationId];
  const r = (request ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> };
  return { operationId, method, path: pathOf(path, r.params) + queryString(r.query), body: r.body, headers: r.headers };
}

/**
 * A client of the whole API over `transport`: `call('getLifeHome')`, `call('openLifeService', { params: { id } })`.
 * Requests and answers are typed from the contract in shared/contracts; nothing here knows a path.
 */
export function createClient(transport: Transport) {
  return <K extends OperationId>(operationId: K, ...[request]: Args<K>): Promise<ResponseOf<Api[K]>> => transport(wireRequest(operationId, request)) as Promise<ResponseOf<Api[K]>>;
}
