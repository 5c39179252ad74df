import { randomBytes } from 'node:crypto';
import { BANK_HEADERS } from '../../shared/signed-requests';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { testConfig, type TestBff } from './bff';

export type BankCall = { secret?: string; at?: number; nonce?: string; method?: string; signedPath?: string };

/** A call from the bank's systems, signed as they sign it (method, path, timestamp, nonce, raw body). */
export function bankRequest(bff: TestBff, path: string, body: unknown, options: BankCall = {}) {
  const raw = JSON.stringify(body);
  const method = options.method ?? 'POST';
  const timestamp = String(Math.floor((options.at ?? bff.clock.now().getTime()) / 1000));
  const nonce = options.nonce ?? randomBytes(12).toString('hex');
  const signature = signBankRequest(options.secret ?? testConfig().bankSystemsSecret, { method, path: options.signedPath ?? `/api/v1${path}`, timestamp, nonce, body: raw });
  return bff.request(method, `/api/v1${path}`, {
    rawBody: raw,
    headers: { [BANK_HEADERS.timestamp]: timestamp, [BANK_HEADERS.nonce]: nonce, [BANK_HEADERS.signature]: signature },
  });
}
