import type { ActivityInput } from '@shared/contracts/activities';
import type { ArrivalResult } from '@shared/contracts/referrals';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';
import type { RewardRequest } from '@/rewards';
import type { AttributionDoc } from '../sharing/attribution';
import type { Flag, Holds } from '../holds';
import { PENDING_LEASE_MS, type Payouts } from '../payouts';
import type { SceneDoc } from '../sharing/scenes';

export type QualifyingAction = Extract<ActivityInput, { type: 'invite' }>['settings']['qualifyingAction'];
type InviteView = ActivityView & { live: Extract<ActivityInput, { type: 'invite' }> };

/** One inviter's rewarded places at one invite activity: at most the cap, taken in order. */
type SlotData = { inviteeId: string; capped: boolean; rewarded: number; ip: string | null };
type QualificationDoc = { _id: string; activityId: string; inviterId: string; inviteeId: string; attributedAt: Date; at: Date; capped: boolean };

/** Qualified invitees of one inviter within an hour that look like a farm, not friends. */
const VELOCITY_PER_HOUR = 5;
const SAME_IP = 3;
const HOUR_MS = 60 * 60 * 1000;

/**
 * 邀请有礼: when an invited newcomer qualifies (registers, binds a phone, or opens an account
 * as the bank reports), the inviter is rewarded once per invitee, up to the activity's cap, and
 * the invitee gets the welcome reward. The cap is a stream per inviter whose positions are the
 * rewarded places, so concurrent qualifications in any number of processes cannot pass it; each
 * qualification's place is keyed by the invitee, so a repeat report pays nothing more.
 *
 * A qualification is promised before its work (a pending mark keyed by activity and invitee),
 * so a crash before the rewards leaves a mark the sweep finishes, once. A spent budget is an
 * outcome of each reward alone: the inviter's refused does not stop the friend's welcome reward
 * being tried, and neither fails the arrival or the bank's report.
 */
export function createInviteRewards(deps: {
  db: Database;
  clock: Clock;
  findView: (id: string) => Promise<ActivityView | null>;
  /** Who brought a customer (the attribution), for the sweep. */
  attributionOf: (customerId: string) => Promise<AttributionDoc | null>;
  payouts: Payouts;
  holds: Holds;
  faults: Faults;
}) {
  const slots = createStreamStore<SlotData>(deps.db, 'invite_slots', deps.clock);
  const qualifications = () => deps.db.collection<QualificationDoc>('invite_qualifications');
  const slotsOf = (activityId: string, inviterId: string) => `slots:${activityId}:${inviterId}`;
  const markOf = (activityId: string, inviteeId: string) => `invite:${activityId}:${inviteeId}`;
  const holdKeyOf = (activityId: string, inviteeId: string) => `invite:${activityId}:${inviteeId}`;

  function flagsOf(history: SlotData[], at: Date, times: Date[]): Flag[] {
    const flags: Flag[] = [];
    if (times.filter((t) => at.getTime() - t.getTime() < HOUR_MS).length > VELOCITY_PER_HOUR) flags.push('invite_velocity');
    const byIp = new Map<string, number>();
    for (const s of history) if (s.ip) byIp.set(s.ip, (byIp.get(s.ip) ?? 0) + 1);
    if ([...byIp.values()].some((n) => n >= SAME_IP)) flags.push('shared_ip');
    return flags;
  }

  /** The invite activity an attribution may earn from, if any (朋友圈 shares earn nothing). */
  async function inviteOf(doc: AttributionDoc): Promise<InviteView | null> {
    if (!doc.activityId || !doc.parentCustomerId || doc.channel === 'timeline') return null;
    const view = await deps.findView(doc.activityId);
    return view?.live?.type === 'invite' ? (view as InviteView) : null;
  }

  const inviterRequest = (view: InviteView, doc: AttributionDoc): RewardRequest | null =>
    view.live.reward
      ? {
          activityId: view._id,
          budget: view.live.budget,
          customerId: doc.parentCustomerId!,
          reason: 'invite',
          source: doc._id,
          reward: view.live.reward,
          description: `邀请好友：${view.live.title}`,
        }
      : null;
  const welcomeRequest = (view: InviteView, doc: AttributionDoc): RewardRequest | null =>
    view.live.settings.welcomeReward
      ? {
          activityId: view._id,
          budget: view.live.budget,
          customerId: doc._id,
          reason: 'invite_welcome',
          source: doc._id,
          reward: view.live.settings.welcomeReward,
          description: `好友邀请礼：${view.live.title}`,
        }
      : null;

  /** The work a qualification promised, every step keyed: the inviter's place, the qualification, the inviter's reward (or its hold), the friend's welcome reward. */
  async function reward(view: InviteView, doc: AttributionDoc): Promise<void> {
    const inviterId = doc.parentCustomerId!;
    const max = view.live.settings.maxInvitesPerCustomer;
    const { entry } = await slots.append(
      slotsOf(view._id, inviterId),
      (head) => {
        const rewarded = head?.data.rewarded ?? 0;
        const capped = rewarded >= max;
        return { inviteeId: doc._id, capped, rewarded: capped ? rewarded : rewarded + 1, ip: doc.ip };
      },
      { key: `slot:${view._id}:${doc._id}` },
    );
    await insertOnce(qualifications(), {
      _id: `${view._id}:${doc._id}`,
      activityId: view._id,
      inviterId,
      inviteeId: doc._id,
      attributedAt: doc.at,
      at: entry.at,
      capped: entry.data.capped,
    });

    const request = inviterRequest(view, doc);
    if (!entry.data.capped && request) {
      const history = (await slots.readAll(slotsOf(view._id, inviterId))).filter((e) => e.seq <= entry.seq);
      const flags = flagsOf(
        history.map((e) => e.data),
        entry.at,
        history.map((e) => e.at),
      );
      if (flags.length)
        await deps.holds.hold(holdKeyOf(view._id, doc._id), { kind: 'invite', activityId: view._id, customerId: inviterId, inviteeId: doc._id, flags, rewardRequest: request });
      else await deps.payouts.pay(request);
    }
    const welcome = welcomeRequest(view, doc);
    if (welcome) await deps.payouts.pay(welcome);
    await deps.payouts.unmark(markOf(view._id, doc._id));
  }

  /** Where the inviter's reward for this invitee stands, from the books, then the review. */
  async function inviterState(view: InviteView, q: QualificationDoc, request: RewardRequest): Promise<'paid' | 'exhausted' | 'unavailable' | 'held' | 'rejected' | 'pending'> {
    const [state] = await deps.payouts.states([request]);
    if (state !== 'unpaid') return state;
    const status = await deps.holds.status(holdKeyOf(view._id, q.inviteeId));
    return status === 'rejected' ? 'rejected' : status === 'pending' ? 'held' : 'pending';
  }

  return {
    /** `at`: when the newcomer did it (an event handled later by the feed counts by its own time, not the worker's). */
    async qualified(doc: AttributionDoc, action: QualifyingAction, at: Date = deps.clock.now()): Promise<void> {
      const view = await inviteOf(doc);
      if (!view || view.withdrawn || view.live.settings.qualifyingAction !== action) return;
      // Within the activity's period only, as its rules say; a report arriving later pays nothing.
      if (view.liveEnd && at > view.liveEnd) return;
      const markId = markOf(view._id, doc._id);
      // Done before (a repeat report, the app's retry of its arrival): every step was keyed and finished.
      if ((await qualifications().findOne({ _id: `${view._id}:${doc._id}` })) && !(await deps.payouts.findMark(markId))) return;
      await deps.payouts.mark(markId, 'invite', { activityId: view._id, inviteeId: doc._id });
      deps.faults.hit('after:invite.marked');
      await reward(view, doc);
    },

    /** Finishes a qualification a crash left promised (the sweep): the period was checked when it was promised. */
    async finish(ref: Record<string, string>): Promise<void> {
      const [doc, view] = await Promise.all([deps.attributionOf(ref.inviteeId), deps.findView(ref.activityId)]);
      if (!doc || view?.live?.type !== 'invite' || doc.activityId !== view._id) return deps.payouts.unmark(markOf(ref.activityId, ref.inviteeId));
      await reward(view as InviteView, doc);
    },

    /** The friend's own reward for arriving through an invite, as the arrival tells them (null: the arrival earns them none). */
    async welcomeState(doc: AttributionDoc): Promise<ArrivalResult['welcomeReward']> {
      const view = await inviteOf(doc);
      const request = view && welcomeRequest(view, doc);
      if (!view || !request) return null;
      const [state] = await deps.payouts.states([request]);
      if (state !== 'unpaid') return { reward: request.reward, state };
      const promised = (await deps.payouts.findMark(markOf(view._id, doc._id))) || (await qualifications().findOne({ _id: `${view._id}:${doc._id}` }));
      return { reward: request.reward, state: promised ? 'pending' : 'qualify_first' };
    },

    /**
     * An invite activity's rewards checked against the books: each qualified invitee's inviter
     * reward paid, held, rejected or refused by the budget (unless past the cap), the welcome
     * reward paid or refused, no inviter past the cap; in flight only within its lease.
     */
    async check(activityId: string) {
      const violations: string[] = [];
      const figures = { qualified: 0, paid: 0, held: 0, rejected: 0, exhausted: 0, unavailable: 0, pending: 0, capped: 0 };
      const view = await deps.findView(activityId);
      if (view?.live?.type !== 'invite') return { figures, violations };
      const invite = view as InviteView;
      const cutoff = deps.clock.now().getTime() - PENDING_LEASE_MS;
      const marks = (await deps.payouts.ofKind('invite')).filter((m) => m.ref.activityId === activityId);
      const markFor = new Map(marks.map((m) => [m.ref.inviteeId, m]));
      const all = await qualifications().find({ activityId }).toArray();
      const qualified = new Set(all.map((q) => q.inviteeId));
      const perReward = (invite.live.reward ? 1 : 0) + (invite.live.settings.welcomeReward ? 1 : 0);
      for (const m of marks) {
        if (qualified.has(m.ref.inviteeId)) continue;
        figures.pending += perReward;
        if (m.at.getTime() <= cutoff) violations.push(`invitee ${m.ref.inviteeId}: qualification promised and overdue`);
      }
      const inviters = new Set<string>();
      for (const q of all) {
        figures.qualified += 1;
        inviters.add(q.inviterId);
        const doc = await deps.attributionOf(q.inviteeId);
        if (!doc) {
          violations.push(`invitee ${q.inviteeId}: qualified without an attribution`);
          continue;
        }
        const mark = markFor.get(q.inviteeId);
        const overdue = !mark || mark.at.getTime() <= cutoff;
        const request = inviterRequest(invite, doc);
        if (q.capped) figures.capped += 1;
        else if (request) {
          const state = await inviterState(invite, q, request);
          figures[state] += 1;
          if (state === 'pending' && overdue)
            violations.push(`invitee ${q.inviteeId}: the inviter's reward is neither paid, held nor refused for the budget${mark ? ' (overdue)' : ''}`);
        }
        const welcome = welcomeRequest(invite, doc);
        if (welcome) {
          const [state] = await deps.payouts.states([welcome]);
          if (state === 'unpaid') {
            figures.pending += 1;
            if (overdue) violations.push(`invitee ${q.inviteeId}: the welcome reward is neither paid nor refused for the budget${mark ? ' (overdue)' : ''}`);
          } else figures[state] += 1;
        }
      }
      for (const inviterId of inviters) {
        const rewarded = (await slots.head(slotsOf(activityId, inviterId)))?.data.rewarded ?? 0;
        if (rewarded > invite.live.settings.maxInvitesPerCustomer)
          violations.push(`inviter ${inviterId}: ${rewarded} rewarded places, the cap is ${invite.live.settings.maxInvitesPerCustomer}`);
      }
      return { figures, violations };
    },

    /**
     * An invite activity's figures (scans: for the back office). Sharers are the customers who
     * made a share of the activity (`POST /me/shares`: the server's record, one per sharer and
     * channel), not the `share` behaviour event, which the app sends, may sample, and anyone
     * can forge. Every inviter with a qualified friend shared (a qualification comes through a
     * share of the activity), and is counted among them even if that share predates the record.
     */
    async stats(activityId: string) {
      const all = await qualifications().find({ activityId }).toArray();
      const shares = await deps.db.collection<SceneDoc>('share_scenes').find({ activityId, 'sharer.kind': 'customer' }).toArray();
      const rewarded = all.filter((q) => !q.capped);
      const inviters = new Set(all.map((q) => q.inviterId));
      const sharers = new Set([...shares.map((s) => s.sharer.id), ...inviters]).size;
      const hours = all.map((q) => (q.at.getTime() - q.attributedAt.getTime()) / HOUR_MS).sort((a, b) => a - b);
      const median = hours.length ? (hours.length % 2 ? hours[(hours.length - 1) / 2] : (hours[hours.length / 2 - 1] + hours[hours.length / 2]) / 2) : null;
      return {
        qualified: all.length,
        rewardedPlaces: rewarded.length,
        capped: all.length - rewarded.length,
        sharers,
        inviters: inviters.size,
        medianHoursToQualify: median === null ? null : Math.round(median * 100) / 100,
      };
    },

    ensureIndexes: async () => {
      await slots.ensureIndexes();
      await qualifications().createIndex({ activityId: 1 });
      await deps.db.collection<SceneDoc>('share_scenes').createIndex({ activityId: 1 });
    },
  };
}

export type InviteRewards = ReturnType<typeof createInviteRewards>;

/**
 * K-factor: qualified invitees per customer who shared the invite, those whose friends never
 * qualified included (above 1, the programme grows by itself). Dividing by the inviters who
 * have a qualified friend instead would make it at least 1 as soon as anyone qualifies.
 */
export const kFactorOf = (s: { qualified: number; sharers: number }) => (s.sharers ? Math.round((s.qualified / s.sharers) * 100) / 100 : 0);
