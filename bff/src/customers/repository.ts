import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { maskIdNumber } from '@shared/masking';
import type { Clock } from '@/platform/clock';
import { escapeRegex, type Database } from '@/platform/db';
import { alongside } from '@/platform/alongside';
import type { Customer } from '@/platform/directory';
import { isDuplicateKeyError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';

export type { Customer } from '@/platform/directory';

/**
 * How the bank's systems and we refer to a customer by phone without the number: HMAC-SHA256 of
 * the number (spaces removed) keyed with `PII_HASH_SECRET`, which only the bank shares, in hex.
 * An unkeyed SHA-256 of an 11-digit number beside its masked form (138****5678) reverses in
 * at most 10⁴ guesses.
 */
export const keyedPhoneHash = (key: string, phone: string) => createHmac('sha256', key).update(phone.replace(/\s+/g, '')).digest('hex');

/** A customer as the bank's systems or the demo seed hand it over, with the ID number in full. */
type CustomerImport = Omit<Customer, 'createdAt' | 'personalized' | 'idNumberMasked'> & { idNumber: string | null };

type CustomerDoc = Omit<Customer, 'id'> & { _id: string; phoneHash: string | null; idNumberHash: string | null };
/** One phone number, one customer: the claim's `_id` is the number's hash. */
type PhoneOwnerDoc = { _id: string; customerId: string; at: Date };
/** How long a phone claim whose binding never finished (a crash in between) blocks the number. */
const STALE_PHONE_CLAIM_MS = 60_000;
/**
 * 客户号 → customer, `_id`-keyed so a lookup by number is one read by `_id` (a filter on
 * `customerNo` reads every customer on FerretDB). Insert-only, written before the customer: a
 * number whose customer was never stored (a crash in between) stays unused, so a lookup checks
 * that the customer it names holds that number.
 */
type CustomerNoDoc = { _id: string; customerId: string };
/** Maps a WeChat identity to a customer. Its `_id` is the identity, so one identity maps once. */
type IdentityDoc = { _id: string; customerId: string; createdAt: Date };

const toCustomer = ({ _id, phoneHash: _hash, idNumberHash: _idHash, ...rest }: CustomerDoc): Customer => ({ ...rest, id: _id });

export function createCustomerRepository(db: Database, clock: Clock, options: { piiKey: string }) {
  const customers = () => db.collection<CustomerDoc>('customers');
  const identities = () => db.collection<IdentityDoc>('wechat_identities');
  const phoneOwners = () => db.collection<PhoneOwnerDoc>('phone_owners');
  const customerNumbers = () => db.collection<CustomerNoDoc>('customer_numbers');
  const phoneHash = (phone: string) => keyedPhoneHash(options.piiKey, phone);
  const idNumberHash = (idNumber: string) => createHmac('sha256', options.piiKey).update(idNumber.trim().toUpperCase()).digest('hex');

  /**
   * Claims a phone number for one customer (inserting its claim is the atomic step). A claim
   * by someone else stands, unless it is stale: older than a minute and never bound.
   */
  async function claimPhone(hash: string, customerId: string): Promise<boolean> {
    for (;;) {
      if (await insertOnce(phoneOwners(), { _id: hash, customerId, at: clock.now() })) return true;
      const owner = await phoneOwners().findOne({ _id: hash });
      if (!owner) continue;
      if (owner.customerId === customerId) return true;
      const holder = await customers().findOne({ _id: owner.customerId }, { projection: { phoneHash: 1 } });
      if (holder?.phoneHash === hash || clock.now().getTime() - owner.at.getTime() < STALE_PHONE_CLAIM_MS) return false;
      await phoneOwners().deleteOne({ _id: hash });
    }
  }

  /** Takes a 客户号 for this customer; false if another customer holds it. */
  async function claimCustomerNo(customerNo: string, customerId: string): Promise<boolean> {
    if (await insertOnce(customerNumbers(), { _id: customerNo, customerId })) return true;
    return (await customerNumbers().findOne({ _id: customerNo }))?.customerId === customerId;
  }

  /** The customer a lookup doc names, if that customer still holds what it was looked up by. */
  async function holder(owner: { customerId: string } | null, holds: (d: CustomerDoc) => boolean): Promise<Customer | null> {
    const d = owner && (await customers().findOne({ _id: owner.customerId }));
    return d && holds(d) ? toCustomer(d) : null;
  }

  /** Stores a new customer, or finds the one another request stored first; returns what is stored. */
  async function insertCustomer(doc: CustomerDoc): Promise<CustomerDoc> {
    for (;;) {
      if (!(await claimCustomerNo(doc.customerNo, doc._id))) {
        doc.customerNo = newCustomerNo(); // the rare clash on the customer number: draw another
        continue;
      }
      try {
        await customers().insertOne(doc);
        return doc;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const stored = await customers().findOne({ _id: doc._id });
        if (stored) return stored;
        doc.customerNo = newCustomerNo(); // the rare clash on the customer number: draw another
      }
    }
  }

  return {
    /** The keyed phone hash (see `keyedPhoneHash`): what events carry and what the bank sends. */
    phoneHash,

    async findById(id: string): Promise<Customer | null> {
      const d = await customers().findOne({ _id: id });
      return d ? toCustomer(d) : null;
    },

    async findByIds(ids: string[]): Promise<Customer[]> {
      if (ids.length === 0) return [];
      return (
        await customers()
          .find({ _id: { $in: [...new Set(ids)] } })
          .toArray()
      ).map(toCustomer);
    },

    /** By 客户号, through its `_id`-keyed lookup. */
    findByCustomerNo: async (customerNo: string): Promise<Customer | null> => holder(await customerNumbers().findOne({ _id: customerNo }), (d) => d.customerNo === customerNo),

    /** By phone number, through the number's claim (`_id` = its keyed hash): the customer who holds it now. */
    async findByPhone(phone: string): Promise<Customer | null> {
      const hash = phoneHash(phone);
      return holder(await phoneOwners().findOne({ _id: hash }), (d) => d.phoneHash === hash);
    },

    /**
     * Customers with exactly this WeChat nickname, at most `limit`. Nicknames are not unique and
     * have no lookup of their own, so this reads the collection: a service-desk path only.
     */
    findByNickname: async (nickname: string, limit: number): Promise<Customer[]> =>
      // Part of a nickname from two characters on (one character would list half the bank); exactly, below that.
      (
        await customers()
          .find({ nickname: [...nickname].length >= 2 ? { $regex: escapeRegex(nickname) } : nickname })
          .limit(limit)
          .toArray()
      ).map(toCustomer),
    async *signups() {
      for await (const c of customers().find({}, { projection: { _id: 1, createdAt: 1 } })) yield { id: c._id, createdAt: c.createdAt };
    },

    /**
     * The customer for a WeChat identity, created if new. Concurrent first logins race on
     * inserting the identity claim; exactly one wins and all use its customer id. The customer's
     * record is made sure of beside what the caller does next with the id (a sign-in's session),
     * before the request answers.
     */
    async findOrCreateByWechat(identity: { appid: string; openid: string; unionid?: string }): Promise<{ customerId: string; created: boolean }> {
      const keys = [identity.unionid ? `unionid:${identity.unionid}` : null, `openid:${identity.appid}:${identity.openid}`].filter((k): k is string => k !== null);
      const candidate = randomUUID();
      const claim = () => insertOnce(identities(), { _id: keys[0], customerId: candidate, createdAt: clock.now() });
      // One key: the claim goes beside the lookup (nothing else can name this customer). With a unionid, a key of the
      // customer's other apps may be known already: it is looked up first. One lookup by `_id` per key (a filter on
      // several ids would read the whole collection).
      const [known, early] = await Promise.all([Promise.all(keys.map((_id) => identities().findOne({ _id }))), keys.length === 1 ? claim() : null]);
      const found = known.find((k) => k !== null)?.customerId;
      // The first key is claimed (beside the lookup, or after it found none): it is there now, whoever put it there.
      const claimed = early !== null || !found;
      const created = early ?? (!found && (await claim()));
      const customerId = created ? candidate : (found ?? (await identities().findOne({ _id: keys[0] }))!.customerId);
      // Every caller makes sure the rest exists, so a crash between steps heals on the next login.
      const missing = keys.filter((_, i) => known[i] === null && !(i === 0 && claimed));
      const stored = async (): Promise<void> => {
        const [existing] = await Promise.all([
          created ? null : customers().findOne({ _id: customerId }, { projection: { _id: 1 } }),
          Promise.all(missing.map((key) => insertOnce(identities(), { _id: key, customerId, createdAt: clock.now() }))),
        ]);
        if (existing) return;
        // The record is this one or, if another sign-in wrote it first, that one: the same customer either way.
        await insertCustomer({
          _id: customerId,
          customerNo: newCustomerNo(),
          openid: identity.openid,
          unionid: identity.unionid ?? null,
          nickname: null,
          name: null,
          phone: null,
          idNumberMasked: null,
          idNumberHash: null,
          orgUnitId: null,
          phoneHash: null,
          personalized: true,
          createdAt: clock.now(),
        });
      };
      await alongside(stored());
      return { customerId, created };
    },

    /** Seeds or updates a customer with known identity and profile (demo data, bank imports). */
    async upsertWithProfile(input: CustomerImport, appid: string): Promise<void> {
      const { id, idNumber, ...rest } = input;
      const hash = rest.phone ? phoneHash(rest.phone) : null;
      if (hash && !(await claimPhone(hash, id))) throw new Error(`customer ${id}: that phone number belongs to another customer`);
      if (!(await claimCustomerNo(rest.customerNo, id))) throw new Error(`customer ${id}: customer number ${rest.customerNo} belongs to another customer`);
      const set = {
        ...rest,
        phoneHash: hash,
        idNumberHash: idNumber ? idNumberHash(idNumber) : null,
        idNumberMasked: idNumber ? maskIdNumber(idNumber.trim()) : null,
      };
      await customers()
        .updateOne({ _id: id }, { $set: set, $setOnInsert: { createdAt: clock.now(), personalized: true } }, { upsert: true })
        .catch(async (err) => {
          if (!isDuplicateKeyError(err)) throw err;
          await customers().updateOne({ _id: id }, { $set: set }); // a concurrent import created it first
        });
      await identities()
        .insertOne({ _id: `openid:${appid}:${input.openid}`, customerId: id, createdAt: clock.now() })
        .catch((err) => {
          if (!isDuplicateKeyError(err)) throw err;
        });
    },

    /** Resolves the ways the bank's systems name a customer to our customer id. */
    async resolveId(ref: { customerId?: string; openid?: string; phoneHash?: string }, appid: string): Promise<string | null> {
      if (ref.customerId) return (await customers().findOne({ _id: ref.customerId }, { projection: { _id: 1 } })) ? ref.customerId : null;
      if (ref.openid) return (await identities().findOne({ _id: `openid:${appid}:${ref.openid}` }))?.customerId ?? null;
      if (ref.phoneHash) return (await customers().findOne({ phoneHash: ref.phoneHash }, { projection: { _id: 1 } }))?._id ?? null;
      return null;
    },

    async setPersonalized(id: string, personalized: boolean): Promise<void> {
      await customers().updateOne({ _id: id }, { $set: { personalized } });
    },
    /**
     * Binds a phone number to this customer only if no other customer has it: the number is
     * claimed first, then set, then the customer's previous number is let go. A crash midway
     * leaves a claim the same customer's retry completes.
     */
    async bindPhone(id: string, phone: string): Promise<boolean> {
      const hash = phoneHash(phone);
      if (!(await claimPhone(hash, id))) return false;
      const before = await customers().findOne({ _id: id }, { projection: { phoneHash: 1 } });
      await customers().updateOne({ _id: id }, { $set: { phone, phoneHash: hash } });
      if (before?.phoneHash && before.phoneHash !== hash && (await phoneOwners().findOne({ _id: before.phoneHash }))?.customerId === id) {
        await phoneOwners().deleteOne({ _id: before.phoneHash });
      }
      return true;
    },

    async countByOpenid(openid: string): Promise<number> {
      return customers().countDocuments({ openid });
    },

    async ensureIndexes() {
      await customers().createIndex({ customerNo: 1 }, { unique: true });
      await customers().createIndex({ openid: 1 });
      await customers().createIndex({ phoneHash: 1 });
      await identities().createIndex({ customerId: 1 });
      await phoneOwners().createIndex({ customerId: 1 });
    },
  };
}

function newCustomerNo(): string {
  return `C${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e3)).padStart(3, '0')}`;
}

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
