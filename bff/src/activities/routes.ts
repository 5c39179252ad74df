import { z } from 'zod';
import { ActivityInput, AdminActivity, CustomerActivity, DismissRequest } from '../../../shared/contracts/activities';
import { Role } from '../../../shared/roles';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import { csvRowToActivity, type ActivityAdminService } from './admin-service';
import type { ActivityCustomerService } from './customer-service';

export const activityAdminRoutes = (service: ActivityAdminService) =>
  reviewedAdminRoutes({
    service,
    path: '/admin/activities',
    tag: 'admin:activities',
    noun: { one: 'Activity', many: 'Activities' },
    label: '活动',
    input: ActivityInput,
    admin: AdminActivity,
    csvRow: csvRowToActivity,
    csvNote: 'targeting/settings/reward/images 列为 JSON',
    usedBy: ['getDrawStats', 'listDrawWinners', 'exportDrawWinners', 'checkDrawInvariants', 'getMyActivity'],
  });

/** What a customer can do with an activity they see, by its id (its quiz and draw live in their own folders). */
const CUSTOMER_USES = ['joinActivity', 'dismissActivity', 'getMyQuiz', 'answerMyQuiz', 'startQuizAttempt', 'getQuizLeaderboard', 'getMyDraw', 'drawOnce', 'buyDrawChance'];

export function activityCustomerRoutes(service: ActivityCustomerService) {
  return [
    defineRoute({
      method: 'get',
      path: '/activities',
      operationId: 'listMyActivities',
      summary: '我可参与的进行中活动',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: {
        200: { description: 'Eligible live activities', schema: z.object({ items: z.array(CustomerActivity) }), links: linksTo(['getMyActivity', ...CUSTOMER_USES], { id: '$response.body#/items/0/id' }) },
      },
      handler: async ({ principal, consented }) => ({ items: await service.listForMe(principal!.id, consented) }),
    }),
    defineRoute({
      method: 'get',
      path: '/activities/:id',
      operationId: 'getMyActivity',
      summary: '活动详情',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The activity', schema: CustomerActivity, links: linksTo(CUSTOMER_USES, { id: '$response.body#/id' }) } },
      handler: ({ principal, params, consented }) => service.detail(principal!.id, params.id, consented),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/join',
      operationId: 'joinActivity',
      summary: '参与活动，领取参与奖励（每人一次，预算用完即止）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'Joined', schema: z.object({ joined: z.literal(true), rewardId: z.string().nullable(), duplicate: z.boolean() }) } },
      handler: ({ principal, params }) => service.join(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/dismiss',
      operationId: 'dismissActivity',
      summary: '不感兴趣：隐藏该活动（可选同类活动）一段时间',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: DismissRequest,
      responses: { 204: { description: 'Hidden' } },
      handler: ({ principal, params, body }) => service.dismiss(principal!.id, params.id, body.hideType),
    }),
  ];
}
