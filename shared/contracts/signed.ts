import { z } from 'zod';

/**
 * The headers of calls other systems sign (the bank's, merchants'), as the contract declares
 * them; the BFF checks the signature itself (bff/src/platform/auth/bank-signature.ts). Kept
 * here, not in the BFF, so the console and the mini-program can build the contract without
 * node's crypto.
 */
export const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export const BANK_HEADERS = { timestamp: 'X-Bank-Timestamp', nonce: 'X-Bank-Nonce', signature: 'X-Bank-Signature' } as const;

/** The signed request's headers, as the document declares them (checked by `verify`, before the body is read). */
export const BankSignedHeaders = z.object({
  [BANK_HEADERS.timestamp]: z.string().regex(/^\d{1,12}$/).describe('Unix seconds, within five minutes of the server clock'),
  [BANK_HEADERS.nonce]: z.string().regex(NONCE).describe('16-64 characters [A-Za-z0-9_-], each used once'),
  [BANK_HEADERS.signature]: z.string().regex(/^[0-9a-f]{64}$/).describe('Hex HMAC-SHA256 of METHOD\\nPATH (with query)\\nTIMESTAMP\\nNONCE\\nRAW_BODY'),
});

/** The header naming the calling merchant; its key signs the request. */
export const MERCHANT_HEADER = 'X-Merchant-Id';
export const MERCHANT_ID = /^[A-Za-z0-9_-]{2,32}$/;

/** The signed merchant request's headers, as the document declares them. */
export const MerchantSignedHeaders = BankSignedHeaders.extend({ [MERCHANT_HEADER]: z.string().regex(MERCHANT_ID).describe('The merchant (联名商户) the coupon names; its own key signs the request') });
