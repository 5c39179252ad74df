import { randomUUID } from 'node:crypto';
import { MAX_ADDRESSES, type Address } from '@shared/contracts/mall';
import { maskName, maskPhone } from '@shared/masking';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { numberedSlots } from '@/platform/keyed';

/**
 * A customer's shipping addresses as up to ten numbered slots (`<customerId>|<k>`): adding
 * one inserts into the first free slot, so two adds at once never overwrite each other, and
 * listing is ten lookups by `_id`.
 */
type AddressDoc = Address & { _id: string; customerId: string; id: string; addedAt: Date };

export function createAddressBook(db: Database) {
  const docs = () => db.collection<AddressDoc>('customer_addresses');
  const slots = numberedSlots(docs);
  const all = async (customerId: string) => (await slots.read(customerId, MAX_ADDRESSES)).filter((d): d is AddressDoc => d !== null);

  return {
    list: async (customerId: string) => (await all(customerId)).sort((a, b) => b.addedAt.getTime() - a.addedAt.getTime()),
    find: async (customerId: string, id: string) => (await all(customerId)).find((d) => d.id === id) ?? null,
    async add(customerId: string, address: Address, now: Date): Promise<AddressDoc> {
      const doc: Omit<AddressDoc, '_id'> = { customerId, id: randomUUID(), addedAt: now, ...address };
      const slot = await slots.claim(customerId, MAX_ADDRESSES, (_id) => ({ _id, ...doc }));
      if (slot) return { _id: slot, ...doc };
      throw new AppError('ADDRESS_LIMIT_REACHED', { message: `最多保存 ${MAX_ADDRESSES} 个收货地址` });
    },
    async remove(customerId: string, id: string): Promise<void> {
      const doc = (await all(customerId)).find((d) => d.id === id);
      if (!doc) throw new AppError('NOT_FOUND');
      await docs().deleteOne({ _id: doc._id });
    },
  };
}

export type AddressBook = ReturnType<typeof createAddressBook>;

/** An address as lists show it: the name and phone masked. */
export const maskAddress = (a: Address): Address => ({ ...a, name: maskName(a.name), phone: maskPhone(a.phone) });
