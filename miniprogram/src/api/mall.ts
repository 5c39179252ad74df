import type { Address } from '@shared/contracts/mall';
import { call } from './client';
import { trackAfter } from './tracking';

export const getMallHome = () => call('getMallHome');
export const getMallItem = (id: string) => call('getMallItem', { params: { id } });

/**
 * A redemption. The key is made once per confirmation, and sent again on every retry of it,
 * so a tap repeated over a bad network still makes one order.
 */
export const redeemItem = (key: string, body: { itemId: string; addressId?: string; account?: string }) =>
  trackAfter('redeem', () => ({ itemId: body.itemId }), call('redeemMallItem', { body, headers: { 'Idempotency-Key': key } }));

export const getMyOrders = (before?: number) => call('listMyMallOrders', { query: { before } });
export const getMyOrder = (id: string) => call('getMyMallOrder', { params: { id } });
export const cancelMyOrder = (id: string) => call('cancelMyMallOrder', { params: { id } });

export const getMyAddresses = () => call('listMyAddresses');
export const addMyAddress = (address: Address) => call('addMyAddress', { body: address });
export const deleteMyAddress = (id: string) => call('deleteMyAddress', { params: { id } });
