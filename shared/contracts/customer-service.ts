import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams, trimmedText } from './common';
import { CustomerOverview, CustomerProfile } from './profile';

/** What the service desk can find a customer by; the BFF tells which one a query is from its form. */
export const CUSTOMER_LOOKUPS = ['phone', 'customerNo', 'id', 'nickname'] as const;
export const customerLookupNamesZh: Record<(typeof CUSTOMER_LOOKUPS)[number], string> = { phone: '手机号', customerNo: '客户号', id: '客户编号', nickname: '昵称' };

/** A customer found by the service desk: enough to tell them apart, all personal data masked. */
export const CustomerMatch = z
  .object({
    id: z.string(),
    customerNo: z.string(),
    maskedName: CustomerProfile.shape.maskedName,
    maskedPhone: CustomerProfile.shape.maskedPhone,
    maskedNickname: z.string().nullable(),
    orgUnitName: z.string().nullable().describe('The unit that serves the customer; null: head office'),
  })
  .meta({ id: 'CustomerMatch' });
export type CustomerMatch = z.infer<typeof CustomerMatch>;

export const customerServiceApi = endpoints({
  searchCustomers: {
    method: 'get',
    path: '/admin/customers',
    operationId: 'searchCustomers',
    summary: '客户服务：按手机号、客户号、客户编号或昵称查找客户（结果脱敏；仅本机构及下级机构的客户；查询留痕）',
    tags: ['admin'],
    access: [Role.ADMIN, Role.REVIEWER],
    query: z.object({
      q: trimmedText(1, '请输入手机号、客户号或昵称').max(64).describe('An 11-digit mobile number, a 客户号 (C + 12 digits), a customer id, or an exact nickname'),
    }),
    responses: {
      200: {
        description: 'The customers found (at most 20), with what the query was taken for',
        schema: z.object({ by: z.enum(CUSTOMER_LOOKUPS), items: z.array(CustomerMatch) }),
      },
    },
  },
  getCustomerOverview: {
    method: 'get',
    path: '/admin/customers/:id',
    operationId: 'getCustomerOverview',
    summary: '客户服务：客户资料（脱敏）、积分与最近明细、订单、奖品（本机构及下级机构的客户；查询留痕）',
    tags: ['admin'],
    access: [Role.ADMIN, Role.REVIEWER],
    params: IdParams,
    responses: { 200: { description: 'The customer', schema: CustomerOverview } },
  },
});
