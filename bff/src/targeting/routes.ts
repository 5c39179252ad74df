import { CustomerTagUpload, CustomerTagUploadResult } from '../../../shared/contracts/targeting';
import { Role } from '../../../shared/roles';
import { csvRecords } from '../platform/csv';
import { defineRoute } from '../platform/http/routes';
import { csvRowToTagRow } from './csv';
import type { TargetingService } from './service';

export function targetingRoutes(service: TargetingService) {
  return [
    defineRoute({
      method: 'post',
      path: '/admin/customer-tags',
      operationId: 'uploadCustomerTags',
      summary: '批量上传客户标签与名单（按客户号、openid 或手机号哈希），幂等，并报告未知客户',
      tags: ['admin:targeting'],
      access: [Role.ADMIN],
      body: CustomerTagUpload,
      responses: { 200: { description: 'What changed', schema: CustomerTagUploadResult } },
      handler: ({ principal, body }) => service.uploadTags(principal!, body.items),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/customer-tags/csv',
      operationId: 'uploadCustomerTagsCsv',
      summary: '以 CSV 上传客户标签与名单（UTF-8，可带 BOM；列 customerId/openid/phoneHash、tier、risk、funds、interests、tags、lists，多个值以 | 分隔）',
      tags: ['admin:targeting'],
      access: [Role.ADMIN],
      textBody: 'text/csv',
      body: CustomerTagUpload,
      fromText: (text) => ({ items: csvRecords(text).map(csvRowToTagRow) }),
      responses: { 200: { description: 'What changed', schema: CustomerTagUploadResult } },
      handler: ({ principal, body }) => service.uploadTags(principal!, body.items),
    }),
  ];
}
