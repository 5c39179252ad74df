import { drawsApi } from '@shared/contracts/draws';
import { implement } from '@/platform/http/routes';
import type { DrawService } from './service';

export function drawRoutes(service: DrawService) {
  return [
    implement(drawsApi.getMyDraw, ({ principal, params, consented }) => service.get(principal.id, params.id, !consented)),
    implement(drawsApi.drawOnce, ({ principal, params, headers }) => service.draw(principal.id, params.id, headers['Idempotency-Key'])),
    implement(drawsApi.buyDrawChance, ({ principal, params, headers }) => service.buy(principal.id, params.id, headers['Idempotency-Key'])),
    implement(drawsApi.listMyDrawPrizes, ({ principal, query }) => service.prizes(principal.id, query.before, query.limit)),
    implement(drawsApi.claimMyDrawPrize, ({ principal, params, body }) => service.claim(principal.id, params.drawId, body.addressId)),
  ];
}
