import type { ArrivalResult, ShareChannel } from '../../../shared/contracts/referrals';
import { maskedDisplayName } from '../../../shared/masking';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import { createStreamStore } from '../platform/stream';
import type { StaffRepository } from '../staff';
import type { Managers } from './managers';
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

/** How far up a chain the loop check looks: chains are short, and a deeper loop would need as many newcomers in one window. */
const LOOP_CHECK_DEPTH = 50;

/**
 * First-touch attribution (归因) of newcomers to whoever shared the link or code they arrived
 * through. The record's `_id` is the newcomer, so the first arrival wins in any number of
 * processes and nobody is re-attributed. Only a customer new within the window is attributed;
 * never to themselves, and never to someone down their own chain. What follows (the sharer's
 * list, the manager, rewards) is keyed, and done again on a retry of the same arrival.
 */
export function createAttribution(deps: {
  db: Database;
  clock: Clock;
  customers: CustomerRepository;
  staff: StaffRepository;
  scenes: Scenes;
  managers: Managers;
  windowMs: number;
  /** When a customer first agreed to the privacy policy (null: not yet): a newcomer's window runs from then. */
  joinedAt: (customerId: string) => Promise<Date | null>;
  /** What an attribution completes: the inviter's task, an invite activity's qualification. */
  onAttributed: (doc: AttributionDoc) => Promise<void>;
}) {
  const attributions = () => deps.db.collection<AttributionDoc>('referral_attributions');
  const children = createStreamStore<{ customerId: string }>(deps.db, 'referral_children', deps.clock);
  const childrenOf = (sharer: Sharer) => `children:${sharer.kind}:${sharer.id}`;

  const find = (customerId: string) => attributions().findOne({ _id: customerId });

  async function isAncestor(candidate: string, of: string): Promise<boolean> {
    let at: string | null = of;
    for (let i = 0; at && i < LOOP_CHECK_DEPTH; i++) {
      if (at === candidate) return true;
      at = (await find(at))?.parentCustomerId ?? null;
    }
    return false;
  }

  async function follow(doc: AttributionDoc): Promise<void> {
    await children.append(childrenOf(doc.sharer), () => ({ customerId: doc._id }), { key: `child:${doc._id}` });
    if (doc.managerId) await deps.managers.assignFirst(doc._id, doc.managerId, `attribution:${doc._id}`);
    await deps.onAttributed(doc);
  }

  async function managerFor(sharer: Sharer): Promise<string | null> {
    if (sharer.kind === 'staff') {
      const member = await deps.staff.findById(sharer.id);
      return member?.role === 'rm' && !member.disabled ? member.id : null;
    }
    return (await deps.managers.current(sharer.id))?.rmId ?? null;
  }

  const refused = (refusal: ArrivalResult['refusal'], scene: SceneDoc): ArrivalResult => ({ attributed: false, refusal, activityId: scene.activityId, assistId: scene.assistId });

  return {
    find,

    async arrive(customerId: string, sceneId: string, ip: string | null): Promise<ArrivalResult> {
      const scene = await deps.scenes.find(sceneId);
      if (!scene) throw new AppError('NOT_FOUND', { message: '分享链接已失效' });
      const ok: ArrivalResult = { attributed: true, refusal: null, activityId: scene.activityId, assistId: scene.assistId };
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
        // A share runs from an earlier customer to a later one, and never back up a chain.
        if (!sharer || sharer.createdAt > customer.createdAt || (await isAncestor(customerId, scene.sharer.id))) return refused('loop', scene);
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
      if (!(await insertOnce(attributions(), doc))) {
        const first = (await find(customerId))!;
        if (first.sceneId !== sceneId) return refused('already_attributed', scene);
      }
      await follow((await find(customerId))!);
      return ok;
    },

    /** How many newcomers a sharer brought (the head of their list). */
    count: async (sharer: Sharer) => (await children.head(childrenOf(sharer)))?.seq ?? 0,
    children: (sharer: Sharer) => children.readAll(childrenOf(sharer)),

    /**
     * A customer's chain: who brought them, nearest first, and whom they brought, breadth
     * first, to `depth` levels and at most `limit` customers.
     */
    async tree(customerId: string, depth: number, limit: number) {
      const node = async (doc: AttributionDoc, level: number) => {
        const c = await deps.customers.findById(doc._id);
        return {
          customerId: doc._id,
          name: c ? maskedDisplayName(c) : '客户',
          depth: level,
          channel: doc.channel,
          activityId: doc.activityId,
          managerId: doc.managerId,
          at: doc.at.toISOString(),
          invitedBy: doc.parentCustomerId,
        };
      };
      const ancestors = [];
      let up = await find(customerId);
      for (let level = -1; up?.parentCustomerId && ancestors.length < limit && level >= -depth; level--) {
        const parent = await find(up.parentCustomerId);
        if (!parent) {
          // The first customer of a chain came on their own: no share brought them.
          const c = await deps.customers.findById(up.parentCustomerId);
          ancestors.push({ customerId: up.parentCustomerId, name: c ? maskedDisplayName(c) : '客户', depth: level, channel: null, activityId: null, managerId: null, at: (c?.createdAt ?? new Date(0)).toISOString(), invitedBy: null });
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
            if (doc) {
              descendants.push(await node(doc, level));
              next.push(doc._id);
            }
          }
        }
        frontier = next;
        if (level === depth && frontier.length) {
          for (const parent of frontier) if ((await children.head(childrenOf({ kind: 'customer', id: parent }))) !== null) truncated = true;
        }
      }
      return { customerId, ancestors, descendants, truncated };
    },

    async ensureIndexes() {
      await children.ensureIndexes();
    },
  };
}

export type Attribution = ReturnType<typeof createAttribution>;
