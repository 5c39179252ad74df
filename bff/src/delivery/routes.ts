import { deliveryApi } from '@shared/contracts/delivery';
import { bankDay } from '@/platform/time';
import type { Scope } from '@/platform/auth/scope';
import type { Principal } from '@/platform/auth/principal';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { DeliveryOperations } from './status';

/** Delivery runs for the whole bank, so only head-office admins watch and replay it. */
export function deliveryRoutes(ops: DeliveryOperations, scope: Scope, today: () => Date) {
  const headOffice = async (principal: Principal) => {
    if (!(await scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行管理员可以查看和重放事件投递' });
  };
  return [
    implement(deliveryApi.getDeliveryStatus, async ({ principal }) => {
      await headOffice(principal);
      return ops.status();
    }),
    implement(deliveryApi.checkDeliveryInvariants, async ({ principal, query }) => {
      await headOffice(principal);
      return ops.invariants(query.day ?? bankDay(today()));
    }),
    implement(deliveryApi.listDeadLetters, async ({ principal, query }) => {
      await headOffice(principal);
      return ops.deadLetters(query.sink, query.limit, query.cursor);
    }),
    implement(deliveryApi.replayDeadLetters, async ({ principal, body }) => {
      await headOffice(principal);
      return ops.replay(principal, body.sink, body.ids);
    }),
  ];
}
