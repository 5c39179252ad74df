import { conversionsApi } from '@shared/contracts/conversions';
import { type BankSignatureVerifier } from '@/platform/auth/bank-signature';
import { implement } from '@/platform/http/routes';
import type { ConversionService } from './service';

export function conversionRoutes(service: ConversionService, signature: BankSignatureVerifier) {
  return [implement(conversionsApi.reportConversion, ({ body }) => service.report(body), { authenticate: signature.verify })];
}
