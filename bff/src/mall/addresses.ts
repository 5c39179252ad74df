import { randomUUID } from 'node:crypto';
import { MAX_ADDRESSES, type Address } from '../../../shared/contracts/mall';
import type { Database } from '../platform/db';
import { AppError, isDuplicateKeyError } from '../platform/errors';

/**
 * A customer's shipping addresses as up to ten numbered slots (`<customerId>|<k>`): adding
 * one inserts into the first free slot, so two adds at once never overwrite each other, and
 * listing is ten lookups by `_id`.
 */
type AddressDoc = Address & { _id: string; customerId: string; id: string; addedAt: Date };

export function createAddressBook(db: Database) {
  const docs = () => db.collection<AddressDoc>('customer_addresses');
  const slotIds = (customerId: string) => Array.from({ length: MAX_ADDRESSES }, (_, i) => `${customerId}|${i + 1}`);
  const all = async (customerId: string) => (await Promise.all(slotIds(customerId).map((_id) => docs().findOne({ _id })))).filter((d): d is AddressDoc => d !== null);

  return {
    list: async (customerId: string) => (await all(customerId)).sort((a, b) => b.addedAt.getTime() - a.addedAt.getTime()),
    find: async (customerId: string, id: string) => (await all(customerId)).find((d) => d.id === id) ?? null,
    async add(customerId: string, address: Address, now: Date): Promise<AddressDoc> {
      for (const _id of slotIds(customerId)) {
        if (await docs().findOne({ _id })) continue;
        const doc: AddressDoc = { _id, customerId, id: randomUUID(), addedAt: now, ...address };
        try {
          await docs().insertOne(doc);
          return doc;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
      }
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
