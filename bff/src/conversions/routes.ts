import { ConversionReport, ConversionResult } from '../../../shared/contracts/conversions';
import { verifyBankSignature } from '../platform/auth/bank-signature';
import type { Clock } from '../platform/clock';
import { defineRoute } from '../platform/http/routes';
import type { ConversionService } from './service';

export function conversionRoutes(service: ConversionService, options: { secret: string; clock: Clock }) {
  return [
    defineRoute({
      method: 'post',
      path: '/bank/conversions',
      operationId: 'reportConversion',
      summary: '银行系统回传转化（首次使用生活服务、观看直播），完成对应任务；须 HMAC 签名，按 eventId 幂等',
      tags: ['bank-systems'],
      access: 'public',
      authenticate: (ctx) => verifyBankSignature(ctx, options.secret, options.clock),
      body: ConversionReport,
      responses: { 200: { description: 'Recorded', schema: ConversionResult } },
      handler: ({ body }) => service.report(body),
    }),
  ];
}
