import { mallApi } from '@shared/contracts/mall';
import { implement } from '@/platform/http/routes';
import type { MallService } from './service';

export function mallCustomerRoutes(service: MallService) {
  return [
    implement(mallApi.getMallHome, ({ principal }) => service.home(principal.id)),
    implement(mallApi.getMallItem, ({ principal, params }) => service.item(principal.id, params.id)),
    implement(mallApi.redeemMallItem, ({ principal, body, headers }) => service.redeem(principal.id, headers['Idempotency-Key'], body)),
    implement(mallApi.listMyMallOrders, ({ principal, query }) => service.orders(principal.id, query.before, query.limit)),
    implement(mallApi.getMyMallOrder, ({ principal, params }) => service.order(principal.id, params.id)),
    implement(mallApi.cancelMyMallOrder, ({ principal, params }) => service.cancelMine(principal.id, params.id)),
    implement(mallApi.listMyAddresses, async ({ principal }) => ({ items: await service.addresses.list(principal.id) })),
    implement(mallApi.addMyAddress, ({ principal, body }) => service.addresses.add(principal.id, body)),
    implement(mallApi.deleteMyAddress, ({ principal, params }) => service.addresses.remove(principal.id, params.id)),
  ];
}
