import { AppError } from './errors';

/**
 * Where a paged check of the books stands (mall, draws), as the opaque `cursor` its client
 * passes back for the next page: the position, as base64url JSON.
 */
export const encodeCursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

const invalidCursor = () => new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'query.cursor', message: '核对游标无效，请从头开始核对' }] });

/** The position a cursor names, or a clear refusal when it is not one `valid` accepts. */
export function decodeCursor<T>(cursor: string, valid: (position: unknown) => T | null): T {
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw invalidCursor();
  }
  const position = valid(p);
  if (position === null) throw invalidCursor();
  return position;
}
