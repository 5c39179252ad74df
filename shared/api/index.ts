import type { API } from './all';

/** Every operation of the BFF, by operationId (types only: a client bundles none of the schemas). */
export type Api = typeof API;
export type OperationId = keyof Api;

export type { Endpoint, RequestOf, ResponseOf } from './endpoint';
