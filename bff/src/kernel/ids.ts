import { createHash } from 'node:crypto';

/**
 * An id derived from what it names (its parts, joined by `|`), so making it again (a retry, a
 * sweep, another process) gives the same one: a SHA-256 in hex, cut to `length` characters
 * (all 64 unless given) after `prefix`. Such ids are what unique-key inserts guard.
 */
export function hashId(parts: readonly string[], options: { prefix?: string; length?: number } = {}): string {
  return `${options.prefix ?? ''}${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, options.length)}`;
}

/**
 * The id of what one request makes under its Idempotency-Key. `scope` names who sent it (and
 * what it is about), so a retry of the request gets the same id, and another customer sending
 * the same key gets another.
 */
export function idempotentId(scope: readonly string[], key: string, options: { prefix?: string; length?: number } = {}): string {
  return hashId([...scope, key], options);
}

/** A number in [0, 2^32) spread evenly over texts: to pick a shard or a bucket, the same for the same text. */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
