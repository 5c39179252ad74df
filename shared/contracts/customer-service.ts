import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams } from './common';
import { CustomerOverview } from './profile';

export const customerServiceApi = endpoints({
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
