import { z } from 'zod';

/**
 * Requests other systems sign instead of signing in: the bank's (conversions) and merchants'
 * (coupon redemption). HMAC-SHA256 over method, path (with query), timestamp, nonce and the raw
 * body, one per line; the BFF checks it before reading any of the body.
 */
export const BANK_HEADERS = { timestamp: 'X-Bank-Timestamp', nonce: 'X-Bank-Nonce', signature: 'X-Bank-Signature' } as const;
export const SIGNATURE_NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** The signed request's headers, as the document declares them (checked before the body is read). */
export const BankSignedHeaders = z.object({
  [BANK_HEADERS.timestamp]: z
    .string()
    .regex(/^\d{1,12}$/)
    .describe('Unix seconds, within five minutes of the server clock'),
  [BANK_HEADERS.nonce]: z.string().regex(SIGNATURE_NONCE).describe('16-64 characters [A-Za-z0-9_-], each used once'),
  [BANK_HEADERS.signature]: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('Hex HMAC-SHA256 of METHOD\\nPATH (with query)\\nTIMESTAMP\\nNONCE\\nRAW_BODY'),
});

/** The header naming the calling merchant; its key signs the request. */
export const MERCHANT_HEADER = 'X-Merchant-Id';
export const MERCHANT_ID = /^[A-Za-z0-9_-]{2,32}$/;

/** The signed merchant request's headers, as the document declares them. */
export const MerchantSignedHeaders = BankSignedHeaders.extend({
  [MERCHANT_HEADER]: z.string().regex(MERCHANT_ID).describe('The merchant (联名商户) the coupon names; its own key signs the request'),
});
