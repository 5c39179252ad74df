import { createHmac } from 'node:crypto';
import type { Context } from 'koa';
import { MERCHANT_HEADER, MERCHANT_ID } from '@shared/signed-requests';
import { createBankSignatureVerifier } from '@/platform/auth/bank-signature';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';

/**
 * A merchant's own signing key: HMAC-SHA256 of `merchant|<id>` with `MERCHANT_SECRET`, in hex.
 * The bank hands each merchant its key; one merchant's key tells nothing of another's, and the
 * bank's secret itself signs nothing.
 */
export const merchantKey = (secret: string, merchantId: string) => createHmac('sha256', secret).update(`merchant|${merchantId}`).digest('hex');

/**
 * Merchant calls carry no session: they are signed as the bank's systems sign theirs (method,
 * path, timestamp, nonce, raw body), but each with the calling merchant's own key, and the
 * merchant is then known to the handler (`ctx.state.merchantId`), which acts on its codes only.
 */
export function createMerchantAuth(deps: { secret: string; clock: Clock; db: Database }) {
  return {
    async verify(ctx: Context, rawBody: string): Promise<void> {
      const merchantId = ctx.get(MERCHANT_HEADER);
      if (!MERCHANT_ID.test(merchantId)) throw new AppError('AUTH_REQUIRED', { message: '缺少商户号或商户号格式不正确' });
      await createBankSignatureVerifier({ secret: merchantKey(deps.secret, merchantId), clock: deps.clock, db: deps.db }).verify(ctx, rawBody);
      ctx.state.merchantId = merchantId;
    },
  };
}

export type MerchantAuth = ReturnType<typeof createMerchantAuth>;
