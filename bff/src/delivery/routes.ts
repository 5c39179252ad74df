import { DeadLetterPage, DeadLetterQuery, DeliveryInvariants, DeliveryInvariantsQuery, DeliveryStatus, ReplayInput, ReplayResult } from '../../../shared/contracts/delivery';
import { bankDay } from '../platform/time';
import { Role } from '../../../shared/roles';
import type { Scope } from '../platform/auth/scope';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';
import type { DeliveryOperations } from './status';

/** Delivery runs for the whole bank, so only head-office admins watch and replay it. */
export function deliveryRoutes(ops: DeliveryOperations, scope: Scope, today: () => Date) {
  const headOffice = async (principal: Principal) => {
    if (!(await scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行管理员可以查看和重放事件投递' });
  };
  return [
    defineRoute({
      method: 'get',
      path: '/admin/delivery',
      operationId: 'getDeliveryStatus',
      summary: '事件投递状况：各投递渠道（Webhook、NDJSON 文件）的积压、延迟、近一小时吞吐与失败重试、死信数',
      tags: ['admin:delivery'],
      access: [Role.ADMIN],
      responses: { 200: { description: 'Per sink', schema: DeliveryStatus } },
      handler: async ({ principal }) => {
        await headOffice(principal!);
        return ops.status();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/delivery/invariants',
      operationId: 'checkDeliveryInvariants',
      summary: '投递核对：某一天保留的每个事件，在每个投递渠道都恰好处于待投递、已投递、死信三者之一；列出缺口（应为 0）',
      tags: ['admin:delivery'],
      access: [Role.ADMIN],
      query: DeliveryInvariantsQuery,
      responses: { 200: { description: 'The day\'s books per sink', schema: DeliveryInvariants } },
      handler: async ({ principal, query }) => {
        await headOffice(principal!);
        return ops.invariants(query.day ?? bankDay(today()));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/delivery/dead-letters',
      operationId: 'listDeadLetters',
      summary: '死信：多次投递失败后不再自动重试的事件',
      tags: ['admin:delivery'],
      access: [Role.ADMIN],
      query: DeadLetterQuery,
      responses: { 200: { description: 'Dead letters of one sink', schema: DeadLetterPage } },
      handler: async ({ principal, query }) => {
        await headOffice(principal!);
        return ops.deadLetters(query.sink, query.limit);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/admin/delivery/dead-letters/replay',
      operationId: 'replayDeadLetters',
      summary: '重放死信：放回投递队列重新计数重试（留痕）；不指定 ids 时重放该渠道全部死信',
      tags: ['admin:delivery'],
      access: [Role.ADMIN],
      body: ReplayInput,
      responses: { 200: { description: 'How many went back to the queue', schema: ReplayResult } },
      handler: async ({ principal, body }) => {
        await headOffice(principal!);
        return ops.replay(principal!, body.sink, body.ids);
      },
    }),
  ];
}
