import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Clock } from '../clock';
import type { Database } from '../db';
import { AppError } from '../errors';
import { insertOnce } from '../keyed';
import { BANK_HEADERS, SIGNATURE_NONCE } from '@shared/signed-requests';

/** How far a signed request's timestamp may be from our clock: older ones are refused outright. */
const MAX_SKEW_MS = 5 * 60 * 1000;

type SignedParts = { method: string; path: string; timestamp: string; nonce: string; body: string };

/** HMAC-SHA256 over method, path (with query), timestamp, nonce and the raw body, one per line. */
export const signBankRequest = (secret: string, p: SignedParts) =>
  createHmac('sha256', secret).update([p.method.toUpperCase(), p.path, p.timestamp, p.nonce, p.body].join('\n')).digest('hex');

/**
 * Server-to-server calls from the bank's systems carry no customer session: they sign the
 * request with a shared secret. The signature binds it to its method and path, a timestamp
 * within five minutes of ours, and a nonce used once (kept for twice that window), so a
 * captured request cannot be sent again or to another endpoint. It is checked on the raw
 * body, before anything in it is parsed.
 */
export function createBankSignatureVerifier(deps: { secret: string; clock: Clock; db: Database }) {
  const nonces = () => deps.db.collection<{ _id: string; at: Date }>('bank_request_nonces');

  return {
    async verify(ctx: Context, rawBody: string): Promise<void> {
      const timestamp = ctx.get(BANK_HEADERS.timestamp);
      const nonce = ctx.get(BANK_HEADERS.nonce);
      const signature = ctx.get(BANK_HEADERS.signature);
      if (!timestamp || !nonce || !signature) throw new AppError('AUTH_REQUIRED', { message: '缺少银行系统签名' });
      if (!/^\d{10}$/.test(timestamp) || Math.abs(deps.clock.now().getTime() - Number(timestamp) * 1000) > MAX_SKEW_MS) {
        throw new AppError('AUTH_TOKEN_EXPIRED', { message: '签名时间戳无效或已过期' });
      }
      if (!SIGNATURE_NONCE.test(nonce)) throw new AppError('AUTH_TOKEN_INVALID', { message: '签名随机串格式不正确' });
      const expected = Buffer.from(signBankRequest(deps.secret, { method: ctx.method, path: ctx.originalUrl, timestamp, nonce, body: rawBody }), 'hex');
      const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('AUTH_TOKEN_INVALID', { message: '银行系统签名不正确' });
      // Only a correctly signed request spends its nonce, so outsiders cannot fill the store.
      if (!(await insertOnce(nonces(), { _id: nonce, at: deps.clock.now() }))) throw new AppError('AUTH_REPLAYED');
    },

    /** Nonces older than twice the window can no longer be replayed (their timestamp is refused). */
    async purgeNonces(): Promise<number> {
      const res = await nonces().deleteMany({ at: { $lt: new Date(deps.clock.now().getTime() - 2 * MAX_SKEW_MS) } });
      return res.deletedCount;
    },
  };
}

export type BankSignatureVerifier = ReturnType<typeof createBankSignatureVerifier>;
