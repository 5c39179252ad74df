import { AdminLifeService, LifeHome, LifeService, LifeServiceInput, ServiceOpened } from '../../../shared/contracts/life';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import { csvRowToLifeService, type LifeServiceAdmin } from './catalogue';
import type { LifeHomeService } from './home';

export function lifeRoutes(deps: { admin: LifeServiceAdmin; home: LifeHomeService }) {
  return [
    ...reviewedAdminRoutes({
      service: deps.admin,
      path: '/admin/life/services',
      tag: 'admin:life',
      noun: { one: 'LifeService', many: 'LifeServices' },
      label: '生活服务',
      input: LifeServiceInput,
      admin: AdminLifeService,
      csvRow: csvRowToLifeService,
      csvNote: 'target、eligibility、hours、maintenance、pinned 列为 JSON',
    }),
    defineRoute({
      method: 'get',
      path: '/life',
      operationId: 'getLifeHome',
      summary: '生活：按分类的服务宫格（仅对我开放、网页域名在白名单内的）、置顶服务与维护公告',
      tags: ['customer:life'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'The 生活 page', schema: LifeHome } },
      handler: ({ principal, consented }) => deps.home.home(principal!.id, !consented),
    }),
    defineRoute({
      method: 'get',
      path: '/life/services/:id',
      operationId: 'viewLifeService',
      summary: '一项生活服务（仅对我开放、网页地址当前在白名单内的）：网页服务页按编号取地址，只打开 BFF 给出的规范化地址',
      tags: ['customer:life'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The service', schema: LifeService } },
      handler: ({ principal, params }) => deps.home.service(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/life/services/:id/open',
      operationId: 'openLifeService',
      summary: '打开生活服务：返回可打开的目标；首次使用完成「首次使用生活服务」任务',
      tags: ['customer:life'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'Where to go', schema: ServiceOpened }, 409: { description: 'Closed or under maintenance' } },
      handler: ({ principal, params }) => deps.home.open(principal!.id, params.id),
    }),
  ];
}
