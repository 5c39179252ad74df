import { ConversionReport, ConversionResult } from '../../../shared/contracts/conversions';
import { BankSignedHeaders, type BankSignatureVerifier } from '../platform/auth/bank-signature';
import { defineRoute } from '../platform/http/routes';
import type { ConversionService } from './service';

export function conversionRoutes(service: ConversionService, signature: BankSignatureVerifier) {
  return [
    defineRoute({
      method: 'post',
      path: '/bank/conversions',
      operationId: 'reportConversion',
      summary: '银行系统回传转化：首次使用生活服务、观看直播（完成对应任务）、开户（邀请达标）、购买产品、资产变动、代发工资、存款到期（供效果分析）；须 HMAC 签名（方法、路径、时间戳、随机串与原始报文），随机串只可使用一次，按 eventId 幂等',
      tags: ['bank-systems'],
      access: 'public',
      authenticate: signature.verify,
      headers: BankSignedHeaders,
      body: ConversionReport,
      responses: { 200: { description: 'Recorded', schema: ConversionResult } },
      handler: ({ body }) => service.report(body),
    }),
  ];
}
