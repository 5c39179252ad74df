import type { API } from './all';
import type { Role } from '../roles';

/** Every operation of the BFF, by operationId (types only: a client bundles none of the schemas). */
export type Api = typeof API;
export type OperationId = keyof Api;

type RolesOf<A> = A extends readonly (infer R)[] ? R : never;

/** Operations open to anyone, leaving out the signed ones (other systems call those: the bank, merchants). */
export type PublicOperationId = { [K in OperationId]: Api[K]['access'] extends 'public' ? (Api[K] extends { signed: true } ? never : K) : never }[OperationId];
/** Operations a token of `role` may call. */
export type OperationIdOf<R extends Role> = { [K in OperationId]: R extends RolesOf<Api[K]['access']> ? K : never }[OperationId];
/** What the mini-program calls for its customers: theirs and the public ones. */
export type CustomerOperationId = PublicOperationId | OperationIdOf<'customer'>;

export type { Endpoint, RequestOf, ResponseOf } from './endpoint';
