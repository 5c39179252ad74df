import { z } from 'zod';
import { AdminTrigger, MyOffers, OfferDismissal, TriggerInput, TriggerStats } from '../../../shared/contracts/triggers';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import { csvRowToTrigger, type TriggerAdmin } from './admin';
import type { TriggerEngine } from './engine';
import type { Offers } from './offers';

const OfferParams = z.object({ id: z.string().min(1).max(200) });

export function triggerRoutes(deps: { admin: TriggerAdmin; engine: TriggerEngine; offers: Offers }) {
  return [
    ...reviewedAdminRoutes({
      service: deps.admin,
      path: '/admin/triggers',
      tag: 'admin:triggers',
      noun: { one: 'Trigger', many: 'Triggers' },
      label: '事件营销规则',
      input: TriggerInput,
      admin: AdminTrigger,
      csvRow: csvRowToTrigger,
      csvNote: 'event、conditions、audience、schedule、action 列为 JSON',
      usedBy: ['getTriggerStats'],
    }),
    defineRoute({
      method: 'get',
      path: '/admin/triggers/:id/stats',
      operationId: 'getTriggerStats',
      summary: '事件营销规则效果：已触发客户数、因每日上限未触达数、触发后因客户关闭个性化推荐/不感兴趣/撤回同意等未执行数',
      tags: ['admin:triggers'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: TriggerStats } },
      handler: async ({ principal, params }) => {
        await deps.admin.get(principal!, params.id);
        return deps.engine.stats(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/offers',
      operationId: 'listMyOffers',
      summary: '为您推荐：事件营销为我推送的内容（不含已表示不感兴趣的；关闭个性化推荐期间不显示任何推荐，重新开启后仍有效的推荐恢复显示）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Newest first', schema: MyOffers } },
      handler: ({ principal }) => deps.offers.mine(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/offers/:id/dismiss',
      operationId: 'dismissMyOffer',
      summary: '不感兴趣：不再收到这条规则的推荐（hideAll：不再收到任何事件推荐）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: OfferParams,
      body: OfferDismissal,
      responses: { 204: { description: 'Done' } },
      handler: async ({ principal, params, body }) => {
        await deps.offers.dismiss(principal!.id, params.id, body.hideAll);
      },
    }),
  ];
}
