/**
 * A prize claim that needed a new address: 地址管理 was opened from it, and goes back to it once an
 * address is saved, so the claim carries on with that address instead of leaving the customer there.
 * Kept in memory: a detour is one visit, not something to resume after the app is closed.
 */
let waiting: { prizeId: string; addressId: string | null } | null = null;

export const addressDetour = {
  start(prizeId: string): void {
    waiting = { prizeId, addressId: null };
  },
  /** An address was saved: true when a claim waits for it (the page then goes back to it). */
  saved(addressId: string): boolean {
    if (!waiting) return false;
    waiting.addressId = addressId;
    return true;
  },
  /** Back on the prize: the address saved on the way, if any; the detour is over either way. */
  end(prizeId: string): string | null {
    if (waiting?.prizeId !== prizeId) return null;
    const { addressId } = waiting;
    waiting = null;
    return addressId;
  },
};
