import type { RequestOf } from './endpoint';
import type { Api, OperationId } from './index';
import { OPERATIONS } from './operations';
import { clientOf, wireRequestIn, type Transport, type WireRequest } from './wire';

export type { Transport, WireRequest };

/** The wire form of a call to `operationId`, from the contract's method and path. */
export const wireRequest = <K extends OperationId>(operationId: K, request: RequestOf<Api[K]> | undefined): WireRequest => wireRequestIn(OPERATIONS, operationId, request);

/**
 * A client of the whole API over `transport` (the console, the tests). The mini-program bundles
 * only the customers' table instead (`./customer-operations`), so no staff path ships to customers.
 */
export const createClient = (transport: Transport) => clientOf(OPERATIONS, transport);
