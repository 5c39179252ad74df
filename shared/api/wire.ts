import { pathOf, type Method, type RequestOf, type ResponseOf } from './endpoint';
import type { Api, OperationId } from './index';

/** One call as it goes on the wire: the path has its parameters and query filled in, under `/api/v1`'s root. */
export type WireRequest = { operationId: OperationId; method: Method; path: string; body?: unknown; headers?: Record<string, string> };

/** Sends a request and answers its body; how (Taro.request, fetch, a token, retries) is the client's own. */
export type Transport = (request: WireRequest) => Promise<unknown>;

/** The method and path of the operations a client may call (a generated table: all of them, or one audience's). */
export type OperationTable<K extends OperationId> = { readonly [P in K]: { readonly method: Method; readonly path: string } };

type Args<K extends OperationId> = Partial<RequestOf<Api[K]>> extends RequestOf<Api[K]> ? [request?: RequestOf<Api[K]>] : [request: RequestOf<Api[K]>];

/** `?a=1&b=x`, leaving out what is undefined; arrays repeat their name. */
function queryString(query: Record<string, unknown> | undefined): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const v of [value].flat()) if (v !== undefined && v !== null) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** The wire form of a call to `operationId`, from the method and path `table` gives it. */
export function wireRequestIn<K extends OperationId>(table: OperationTable<K>, operationId: K, request: RequestOf<Api[K]> | undefined): WireRequest {
  const { method, path } = table[operationId];
  const r = (request ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> };
  return { operationId, method, path: pathOf(path, r.params) + queryString(r.query), body: r.body, headers: r.headers };
}

/**
 * A client of the operations in `table` over `transport`: `call('getLifeHome')`, `call('openLifeService', { params: { id } })`.
 * Requests and answers are typed from the contract in shared/contracts; an operation the table leaves out is a type error.
 */
export function clientOf<K extends OperationId>(table: OperationTable<K>, transport: Transport) {
  return <O extends K>(operationId: O, ...[request]: Args<O>): Promise<ResponseOf<Api[O]>> =>
    transport(wireRequestIn<O>(table, operationId, request)) as Promise<ResponseOf<Api[O]>>;
}
