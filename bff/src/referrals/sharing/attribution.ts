import type { ArrivalResult, ShareChannel } from '@shared/contracts/referrals';
import { maskedDisplayName } from '@shared/masking';
import type { Customer, CustomerDirectory, StaffDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';
import type { Managers } from '../managers/book';
import type { Payouts } from '../payouts';
import type { SceneDoc, Scenes, Sharer } from './scenes';

/** Who brought a customer: written once, at their first attributed arrival. */
export type AttributionDoc = {
  _id: string;
  sharer: Sharer;
  /** The customer who shared, when a customer did. */
  parentCustomerId: string | null;
  /** The relationship manager this customer came under: the sharer if a manager, else the sharing customer's manager then. */
  managerId: string | null;
  activityId: string | null;
  assistId: string | null;
  channel: ShareChannel;
  sceneId: string;
  ip: string | null;
  at: Date;
};

/** An arrival as attributed, before what it earns the newcomer is added (`welcomeReward`). */
type Attributed = Omit<ArrivalResult, 'welcomeReward'>;

/**
 * Customers in the order attribution runs: by when they became customers (their record's
 * `createdAt`, written once), then by id for those created in the same millisecond. A total,
 * fixed order, decided from two records alone.
 */
const precedes = (a: Pick<Customer, 'id' | 'createdAt'>, b: Pick<Customer, 'id' | 'createdAt'>) =>
  a.createdAt.getTime() < b.createdAt.getTime() || (a.createdAt.getTime() === b.createdAt.getTime() && a.id < b.id);

/**
 * First-touch attribution (归因) of newcomers to whoever shared the link or code they arrived
 * through. The record's `_id` is the newcomer, so the first arrival wins in any number of
 * processes and nobody is re-attributed. Only a customer new within the window is attributed,
 * never to themselves, and only to a customer who precedes them (`precedes`): every link of
 * every chain runs from earlier to later in one fixed order, so no cycle can form at any depth,
 * however arrivals interleave across processes, with no read of the chain to race (two
 * customers created in the same millisecond, arriving through each other's links at once: only
 * the one with the smaller id can bring the other). What follows (the sharer's list, the
 * manager, rewards) is promised by a pending mark before the record is written, keyed
 * throughout, and finished by the sweep if a crash cuts it short.
 */
export function createAttribution(deps: {
  db: Database;
  clock: Clock;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  scenes: Scenes;
  managers: Managers;
  windowMs: number;
  /** When a customer first agreed to the privacy policy (null: not yet): a newcomer's window runs from then. */
  joinedAt: (customerId: string) => Promise<Date | null>;
  /** What an attribution completes: the inviter's task, an invite activity's qualification. */
  onAttributed: (doc: AttributionDoc) => Promise<void>;
  payouts: Payouts;
  faults: Faults;
}) {
  const attributions = () => deps.db.collection<AttributionDoc>('referral_attributions');
  const children = createStreamStore<{ customerId: string }>(deps.db, 'referral_children', deps.clock);
  const childrenOf = (sharer: Sharer) => `children:${sharer.kind}:${sharer.id}`;

  const find = (customerId: string) => attributions().findOne({ _id: customerId });
  const markOf = (customerId: string) => `arrival:${customerId}`;

  /** What an attribution sets in motion, each step keyed; then its promise is kept. */
  async function follow(doc: AttributionDoc): Promise<void> {
    await children.append(childrenOf(doc.sharer), () => ({ customerId: doc._id }), { key: `child:${doc._id}` });
    if (doc.managerId) await deps.managers.assignFirst(doc._id, doc.managerId, `attribution:${doc._id}`);
    await deps.onAttributed(doc);
    await deps.payouts.unmark(markOf(doc._id));
  }

  async function managerFor(sharer: Sharer): Promise<string | null> {
    if (sharer.kind === 'staff') {
      const member = await deps.staff.findById(sharer.id);
      return member?.role === 'rm' && !member.disabled ? member.id : null;
    }
    return (await deps.managers.current(sharer.id))?.rmId ?? null;
  }

  const refused = (refusal: ArrivalResult['refusal'], scene: SceneDoc): Attributed => ({ attributed: false, refusal, activityId: scene.activityId, assistId: scene.assistId });

  return {
    find,

    /** How many customers arrived through an invitation to the activity (a share by another customer or staff). */
    invitesOf: (activityId: string) => attributions().countDocuments({ activityId, parentCustomerId: { $ne: null } }),

    async arrive(customerId: string, sceneId: string, ip: string | null): Promise<Attributed> {
      const scene = await deps.scenes.find(sceneId);
      if (!scene) throw new AppError('NOT_FOUND', { message: '分享链接已失效' });
      const ok: Attributed = { attributed: true, refusal: null, activityId: scene.activityId, assistId: scene.assistId };
      if (scene.sharer.kind === 'customer' && scene.sharer.id === customerId) return refused('self', scene);
      const earlier = await find(customerId);
      if (earlier) {
        // The same arrival again (a retry): what follows it is made sure of.
        if (earlier.sceneId !== sceneId) return refused('already_attributed', scene);
        await follow(earlier);
        return ok;
      }
      const customer = await deps.customers.findById(customerId);
      if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
      const now = deps.clock.now();
      // New from when they agreed: an arrival is only recorded after consent, which may come a day after the first visit.
      const joined = (await deps.joinedAt(customerId)) ?? customer.createdAt;
      if (now.getTime() - joined.getTime() > deps.windowMs) return refused('existing_customer', scene);
      if (scene.sharer.kind === 'customer') {
        const sharer = await deps.customers.findById(scene.sharer.id);
        // A share runs from an earlier customer to a later one only: up a chain it would close a loop.
        if (!sharer || !precedes(sharer, customer)) return refused('loop', scene);
      }
      const doc: AttributionDoc = {
        _id: customerId,
        sharer: scene.sharer,
        parentCustomerId: scene.sharer.kind === 'customer' ? scene.sharer.id : null,
        managerId: await managerFor(scene.sharer),
        activityId: scene.activityId,
        assistId: scene.assistId,
        channel: scene.channel,
        sceneId,
        ip,
        at: now,
      };
      // Promised before it is recorded: a crash after the record leaves the mark for the sweep.
      await deps.payouts.mark(markOf(customerId), 'arrival', { customerId });
      deps.faults.hit('after:arrival.marked');
      if (!(await insertOnce(attributions(), doc))) {
        const first = (await find(customerId))!;
        if (first.sceneId !== sceneId) return refused('already_attributed', scene);
      }
      await follow((await find(customerId))!);
      return ok;
    },

    /** Finishes what an arrival promised (the sweep): followed if it was recorded, else let go (nothing was). */
    async finish(customerId: string): Promise<void> {
      const doc = await find(customerId);
      if (doc) await follow(doc);
      else await deps.payouts.unmark(markOf(customerId));
    },

    /** How many newcomers a sharer brought (the head of their list). */
    count: async (sharer: Sharer) => (await children.head(childrenOf(sharer)))?.seq ?? 0,
    children: (sharer: Sharer) => children.readAll(childrenOf(sharer)),

    /**
     * A customer's chain: who brought them, nearest first, and whom they brought, breadth
     * first, to `depth` levels and at most `limit` customers. Only customers the reader may see
     * (`canSee`) are shown, at every node: the walk up stops at the first one they may not, the
     * walk down does not go through one, and neither is named anywhere (a shown node's inviter
     * the reader may not see reads null); `hidden` counts the nodes left out.
     */
    async tree(customerId: string, depth: number, limit: number, canSee: (customer: Customer | null) => boolean) {
      const known = new Map<string, Customer | null>();
      const customer = async (id: string) => {
        if (!known.has(id)) known.set(id, await deps.customers.findById(id));
        return known.get(id)!;
      };
      const visible = async (id: string | null) => (id && canSee(await customer(id)) ? id : null);
      let hidden = 0;
      const node = async (doc: AttributionDoc, level: number) => {
        const c = await customer(doc._id);
        return {
          customerId: doc._id,
          name: c ? maskedDisplayName(c) : '客户',
          depth: level,
          channel: doc.channel,
          activityId: doc.activityId,
          managerId: doc.managerId,
          at: doc.at.toISOString(),
          invitedBy: await visible(doc.parentCustomerId),
        };
      };
      const ancestors = [];
      let up = await find(customerId);
      for (let level = -1; up?.parentCustomerId && ancestors.length < limit && level >= -depth; level--) {
        const c = await customer(up.parentCustomerId);
        if (!canSee(c)) {
          hidden += 1;
          break;
        }
        const parent = await find(up.parentCustomerId);
        if (!parent) {
          // The first customer of a chain came on their own: no share brought them.
          ancestors.push({
            customerId: up.parentCustomerId,
            name: c ? maskedDisplayName(c) : '客户',
            depth: level,
            channel: null,
            activityId: null,
            managerId: null,
            at: (c?.createdAt ?? new Date(0)).toISOString(),
            invitedBy: null,
          });
          break;
        }
        ancestors.push(await node(parent, level));
        up = parent;
      }
      const descendants = [];
      let frontier = [customerId];
      let truncated = false;
      for (let level = 1; level <= depth && frontier.length; level++) {
        const next: string[] = [];
        for (const parent of frontier) {
          for (const entry of await children.readAll(childrenOf({ kind: 'customer', id: parent }))) {
            if (descendants.length >= limit) {
              truncated = true;
              break;
            }
            const doc = await find(entry.data.customerId);
            if (!doc) continue;
            if (!canSee(await customer(doc._id))) {
              hidden += 1;
              continue;
            }
            descendants.push(await node(doc, level));
            next.push(doc._id);
          }
        }
        frontier = next;
        if (level === depth && frontier.length) {
          for (const parent of frontier) if ((await children.head(childrenOf({ kind: 'customer', id: parent }))) !== null) truncated = true;
        }
      }
      return { customerId, ancestors, descendants, truncated, hidden };
    },

    async ensureIndexes() {
      await children.ensureIndexes();
    },
  };
}

export type Attribution = ReturnType<typeof createAttribution>;
