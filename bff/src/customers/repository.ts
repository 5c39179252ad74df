import { createHash, createHmac, randomInt, randomUUID } from 'node:crypto';
import { maskIdNumber } from '../../../shared/masking';
import { Schema, type Model } from 'mongoose';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { isDuplicateKeyError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';

export type Customer = {
  id: string;
  customerNo: string;
  openid: string;
  unionid: string | null;
  nickname: string | null;
  name: string | null;
  phone: string | null;
  /** The ID number is never stored as given: a keyed hash (to match the bank's records) and this masked form. */
  idNumberMasked: string | null;
  orgUnitId: string | null;
  /** Off: the customer sees no personalised (targeted) marketing (PIPL art. 24). */
  personalized: boolean;
  createdAt: Date;
};

/**
 * How the bank's systems and we refer to a customer by phone without the number: HMAC-SHA256 of
 * the number (spaces removed) keyed with `PII_HASH_SECRET`, which only the bank shares, in hex.
 * An unkeyed SHA-256 of an 11-digit number beside its masked form (138****5678) reverses in
 * at most 10⁴ guesses.
 */
export const keyedPhoneHash = (key: string, phone: string) => createHmac('sha256', key).update(phone.replace(/\s+/g, '')).digest('hex');
/** The unkeyed hash stored before phone hashes were keyed: read once, at start-up, to rehash what holds it. */
const legacyPhoneHash = (phone: string) => createHash('sha256').update(phone.replace(/\s+/g, '')).digest('hex');

/** A customer as the bank's systems or the demo seed hand it over, with the ID number in full. */
export type CustomerImport = Omit<Customer, 'createdAt' | 'personalized' | 'idNumberMasked'> & { idNumber: string | null };

type CustomerDoc = Omit<Customer, 'id'> & { _id: string; phoneHash: string | null; idNumberHash: string | null };
/** One phone number, one customer: the claim's `_id` is the number's hash. */
type PhoneOwnerDoc = { _id: string; customerId: string; at: Date };
/** How long a phone claim whose binding never finished (a crash in between) blocks the number. */
const STALE_PHONE_CLAIM_MS = 60_000;
/** Maps a WeChat identity to a customer. Its `_id` is the identity, so one identity maps once. */
type IdentityDoc = { _id: string; customerId: string; createdAt: Date };

const customerSchema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    customerNo: { type: String, required: true },
    openid: { type: String, required: true },
    unionid: { type: String, default: null },
    nickname: { type: String, default: null },
    name: { type: String, default: null },
    phone: { type: String, default: null },
    idNumberMasked: { type: String, default: null },
    idNumberHash: { type: String, default: null },
    orgUnitId: { type: String, default: null },
    phoneHash: { type: String, default: null },
    personalized: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'customers' },
);

const identitySchema = new Schema<IdentityDoc>(
  { _id: { type: String, required: true }, customerId: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false, collection: 'wechat_identities' },
);

const toCustomer = ({ _id, phoneHash: _hash, idNumberHash: _idHash, ...rest }: CustomerDoc): Customer => ({
  ...rest,
  idNumberMasked: rest.idNumberMasked ?? null,
  personalized: rest.personalized ?? true,
  id: _id,
});

export function createCustomerRepository(db: Database, clock: Clock, options: { piiKey: string }) {
  const phoneOwners = () => db.collection<PhoneOwnerDoc>('phone_owners');
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
      const holder = await Customers.findById(owner.customerId, { phoneHash: 1 }).lean();
      if (holder?.phoneHash === hash || clock.now().getTime() - owner.at.getTime() < STALE_PHONE_CLAIM_MS) return false;
      await phoneOwners().deleteOne({ _id: hash });
    }
  }
  const Customers: Model<CustomerDoc> = db.models.Customer ?? db.model<CustomerDoc>('Customer', customerSchema);
  const Identities: Model<IdentityDoc> = db.models.WechatIdentity ?? db.model<IdentityDoc>('WechatIdentity', identitySchema);

  /** Inserts the customer document; a duplicate `_id` means another request already did. */
  async function insertCustomer(doc: CustomerDoc): Promise<void> {
    for (;;) {
      try {
        await Customers.create(doc);
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        if (await Customers.exists({ _id: doc._id })) return;
        doc.customerNo = newCustomerNo(); // the rare clash on the customer number: draw another
      }
    }
  }

  /**
   * Once per database: customers whose phone hash is the old unkeyed one get the keyed one, and
   * their claim on the number moves to it (a scan of customers with a phone, at start-up only).
   */
  async function rehashPhones(): Promise<void> {
    const meta = db.collection<{ _id: string; at: Date }>('customers_meta');
    if (await meta.findOne({ _id: 'phone-hash-keyed' })) return;
    for await (const doc of Customers.find({ phone: { $ne: null } }, { _id: 1, phone: 1, phoneHash: 1 }).lean().cursor()) {
      const keyed = phoneHash(doc.phone!);
      if (doc.phoneHash === keyed) continue;
      await insertOnce(phoneOwners(), { _id: keyed, customerId: doc._id, at: clock.now() });
      if ((await phoneOwners().findOne({ _id: keyed }))?.customerId !== doc._id) continue; // the number is someone else's now: left as it is
      await Customers.updateOne({ _id: doc._id }, { $set: { phoneHash: keyed } });
      const legacy = legacyPhoneHash(doc.phone!);
      if ((await phoneOwners().findOne({ _id: legacy }))?.customerId === doc._id) await phoneOwners().deleteOne({ _id: legacy });
    }
    await insertOnce(meta, { _id: 'phone-hash-keyed', at: clock.now() });
  }

  return {
    /** The keyed phone hash (see `keyedPhoneHash`): what events carry and what the bank sends. */
    phoneHash,

    async findById(id: string): Promise<Customer | null> {
      const d = await Customers.findById(id).lean();
      return d ? toCustomer(d) : null;
    },

    /**
     * Finds the customer for a WeChat identity or creates one. Concurrent first logins race
     * on inserting the identity claim; exactly one wins and all use its customer id.
     */
    async findOrCreateByWechat(identity: { appid: string; openid: string; unionid?: string }): Promise<{ customer: Customer; created: boolean }> {
      const keys = [identity.unionid ? `unionid:${identity.unionid}` : null, `openid:${identity.appid}:${identity.openid}`].filter(
        (k): k is string => k !== null,
      );
      const known = await Identities.find({ _id: { $in: keys } }).lean();
      let customerId = known[0]?.customerId;
      let created = false;
      if (!customerId) {
        const candidate = randomUUID();
        try {
          await Identities.create({ _id: keys[0], customerId: candidate, createdAt: clock.now() });
          customerId = candidate;
          created = true;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          customerId = (await Identities.findById(keys[0]).lean())!.customerId;
        }
      }
      // Every caller makes sure the rest exists, so a crash between steps heals on the next login.
      for (const key of keys) {
        await Identities.create({ _id: key, customerId, createdAt: clock.now() }).catch((err) => {
          if (!isDuplicateKeyError(err)) throw err;
        });
      }
      const existing = await Customers.findById(customerId).lean();
      if (existing) return { customer: toCustomer(existing), created };
      const doc: CustomerDoc = {
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
      };
      await insertCustomer(doc);
      return { customer: toCustomer((await Customers.findById(customerId).lean())!), created };
    },

    /** Seeds or updates a customer with known identity and profile (demo data, bank imports). */
    async upsertWithProfile(input: CustomerImport, appid: string): Promise<void> {
      const { id, idNumber, ...rest } = input;
      const hash = rest.phone ? phoneHash(rest.phone) : null;
      if (hash && !(await claimPhone(hash, id))) throw new Error(`customer ${id}: that phone number belongs to another customer`);
      const set = {
        ...rest,
        phoneHash: hash,
        idNumberHash: idNumber ? idNumberHash(idNumber) : null,
        idNumberMasked: idNumber ? maskIdNumber(idNumber.trim()) : null,
      };
      // $unset: records written before ID numbers were hashed lose the plain number here.
      const update = { $set: set, $unset: { idNumber: '' } };
      await Customers.updateOne({ _id: id }, { ...update, $setOnInsert: { createdAt: clock.now(), personalized: true } }, { upsert: true, strict: false }).catch(async (err) => {
        if (!isDuplicateKeyError(err)) throw err;
        await Customers.updateOne({ _id: id }, update, { strict: false }); // a concurrent import created it first
      });
      await Identities.create({ _id: `openid:${appid}:${input.openid}`, customerId: id, createdAt: clock.now() }).catch((err) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
    },

    /** Resolves the ways the bank's systems name a customer to our customer id. */
    async resolveId(ref: { customerId?: string; openid?: string; phoneHash?: string }, appid: string): Promise<string | null> {
      if (ref.customerId) return (await Customers.exists({ _id: ref.customerId })) ? ref.customerId : null;
      if (ref.openid) return (await Identities.findById(`openid:${appid}:${ref.openid}`).lean())?.customerId ?? null;
      if (ref.phoneHash) return (await Customers.findOne({ phoneHash: ref.phoneHash }, { _id: 1 }).lean())?._id ?? null;
      return null;
    },

    async setPersonalized(id: string, personalized: boolean): Promise<void> {
      await Customers.updateOne({ _id: id }, { $set: { personalized } });
    },
    /**
     * Binds a phone number to this customer only if no other customer has it: the number is
     * claimed first, then set, then the customer's previous number is let go. A crash midway
     * leaves a claim the same customer's retry completes.
     */
    async bindPhone(id: string, phone: string): Promise<boolean> {
      const hash = phoneHash(phone);
      if (!(await claimPhone(hash, id))) return false;
      const before = await Customers.findById(id, { phoneHash: 1 }).lean();
      await Customers.updateOne({ _id: id }, { $set: { phone, phoneHash: hash } });
      if (before?.phoneHash && before.phoneHash !== hash && (await phoneOwners().findOne({ _id: before.phoneHash }))?.customerId === id) {
        await phoneOwners().deleteOne({ _id: before.phoneHash });
      }
      return true;
    },

    async countByOpenid(openid: string): Promise<number> {
      return Customers.countDocuments({ openid });
    },

    async ensureIndexes() {
      await Customers.createCollection().catch(() => undefined);
      await Identities.createCollection().catch(() => undefined);
      await Customers.collection.createIndex({ customerNo: 1 }, { unique: true });
      await Customers.collection.createIndex({ openid: 1 });
      await Customers.collection.createIndex({ phoneHash: 1 });
      await Identities.collection.createIndex({ customerId: 1 });
      await phoneOwners().createIndex({ customerId: 1 });
      await rehashPhones();
    },
  };
}

function newCustomerNo(): string {
  return `C${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e3)).padStart(3, '0')}`;
}

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
