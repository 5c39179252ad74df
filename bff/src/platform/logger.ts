import pino, { type DestinationStream, type Logger } from 'pino';

// Anything that could carry a token or personal data is removed before a line is written.
// The paths cover our own log calls; free text is never logged with such values in it.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.code',
  '*.openid',
  '*.unionid',
  '*.sessionKey',
  '*.session_key',
  '*.phone',
  '*.idNumber',
  '*.name',
  'accessToken',
  'refreshToken',
  'password',
  'openid',
  'unionid',
  'sessionKey',
  'phone',
  'idNumber',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, remove: true },
      base: { service: 'bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
