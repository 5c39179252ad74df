import type { Address, MallHome, MallItemDetail, MallOrder, SavedAddress } from '../../../shared/contracts/mall';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export const getMallHome = () => apiRequest<MallHome>('GET', '/mall');
export const getMallItem = (id: string) => apiRequest<MallItemDetail>('GET', `/mall/items/${encodeURIComponent(id)}`);

/**
 * A redemption. The key is made once per confirmation, and sent again on every retry of it,
 * so a tap repeated over a bad network still makes one order.
 */
export const redeemItem = (key: string, body: { itemId: string; addressId?: string; account?: string }) =>
  trackAfter('redeem', () => ({ itemId: body.itemId }), apiRequest<MallOrder>('POST', '/mall/redemptions', body, { 'Idempotency-Key': key }));

export const getMyOrders = (before?: number) => apiRequest<{ items: MallOrder[]; nextBefore: number | null }>('GET', `/mall/orders${before ? `?before=${before}` : ''}`);
export const getMyOrder = (id: string) => apiRequest<MallOrder>('GET', `/mall/orders/${encodeURIComponent(id)}`);
export const cancelMyOrder = (id: string) => apiRequest<MallOrder>('POST', `/mall/orders/${encodeURIComponent(id)}/cancel`);

export const getMyAddresses = () => apiRequest<{ items: SavedAddress[] }>('GET', '/me/addresses');
export const addMyAddress = (address: Address) => apiRequest<SavedAddress>('POST', '/me/addresses', address);
export const deleteMyAddress = (id: string) => apiRequest<void>('DELETE', `/me/addresses/${encodeURIComponent(id)}`);
