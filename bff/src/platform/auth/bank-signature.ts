import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Clock } from '../clock';
import { AppError } from '../errors';

/** How far a signed request's timestamp may be from our clock: replays outside it are refused. */
const MAX_SKEW_MS = 5 * 60 * 1000;

export const signBankRequest = (secret: string, timestamp: string, rawBody: string) => createHmac('sha256', secret).update(`${timestamp}\n${rawBody}`).digest('hex');

/**
 * Server-to-server calls from the bank's systems carry no customer session: they sign the
 * raw body with a shared secret (`X-Bank-Signature` = HMAC-SHA256 of "<timestamp>\n<body>",
 * with the Unix time in `X-Bank-Timestamp`).
 */
export function verifyBankSignature(ctx: Context, secret: string, clock: Clock): void {
  const timestamp = ctx.get('X-Bank-Timestamp');
  const signature = ctx.get('X-Bank-Signature');
  if (!timestamp || !signature) throw new AppError('AUTH_REQUIRED', { message: '缺少银行系统签名' });
  if (!/^\d{10}$/.test(timestamp) || Math.abs(clock.now().getTime() - Number(timestamp) * 1000) > MAX_SKEW_MS) {
    throw new AppError('AUTH_TOKEN_EXPIRED', { message: '签名时间戳无效或已过期' });
  }
  const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
  const expected = Buffer.from(signBankRequest(secret, timestamp, raw), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('AUTH_TOKEN_INVALID', { message: '银行系统签名不正确' });
}
