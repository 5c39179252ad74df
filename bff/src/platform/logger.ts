import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values could be a token or personal data. They are removed at any depth before a
 * line is written (pino's own redaction reaches only the levels a path names).
 */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'accesstoken',
  'refreshtoken',
  'password',
  'passwordhash',
  'code',
  'openid',
  'unionid',
  'sessionkey',
  'session_key',
  'phone',
  'phonenumber',
  'idnumber',
  'name',
  'account',
  'address',
]);
const MAX_DEPTH = 8;

function scrub(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Date || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!SECRET_KEYS.has(key.toLowerCase())) out[key] = scrub(v, depth + 1);
  return out;
}

/**
 * Database driver messages quote the values they stumbled on: an E11000 names the duplicate
 * key (an openid, a phone hash), a cast error the value it could not cast. Those quotes go.
 */
export function scrubDriverText(text: string): string {
  return text.replace(/dup key: \{[\s\S]*?\}(?=\s|$|,|\))/g, 'dup key: { … }').replace(/(for value |keyValue: )("[^"]*"|\{[\s\S]*?\})/g, '$1…');
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      formatters: { log: (object) => scrub(object, 0) as Record<string, unknown> },
      base: { service: 'bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
