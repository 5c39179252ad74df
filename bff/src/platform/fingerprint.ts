import { createHash } from 'node:crypto';

/** A digest of a request body, so a key reused with a different request can be told apart from a retry. */
export const fingerprintOf = (request: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');
