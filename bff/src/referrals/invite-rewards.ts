import type { ActivityInput } from '../../../shared/contracts/activities';
import type { ActivityView } from '../activities/repository';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { insertOnce } from '../platform/keyed';
import { createStreamStore } from '../platform/stream';
import type { RewardEngine, RewardRequest } from '../rewards/engine';
import type { AttributionDoc } from './attribution';
import type { Flag, Holds } from './holds';
import type { SceneDoc } from './scenes';

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
 */
export function createInviteRewards(deps: { db: Database; clock: Clock; findView: (id: string) => Promise<ActivityView | null>; rewards: RewardEngine; holds: Holds }) {
  const slots = createStreamStore<SlotData>(deps.db, 'invite_slots', deps.clock);
  const qualifications = () => deps.db.collection<QualificationDoc>('invite_qualifications');
  const slotsOf = (activityId: string, inviterId: string) => `slots:${activityId}:${inviterId}`;

  function flagsOf(history: SlotData[], at: Date, times: Date[]): Flag[] {
    const flags: Flag[] = [];
    if (times.filter((t) => at.getTime() - t.getTime() < HOUR_MS).length > VELOCITY_PER_HOUR) flags.push('invite_velocity');
    const byIp = new Map<string, number>();
    for (const s of history) if (s.ip) byIp.set(s.ip, (byIp.get(s.ip) ?? 0) + 1);
    if ([...byIp.values()].some((n) => n >= SAME_IP)) flags.push('shared_ip');
    return flags;
  }

  return {
    async qualified(doc: AttributionDoc, action: QualifyingAction): Promise<void> {
      if (!doc.activityId || !doc.parentCustomerId || doc.channel === 'timeline') return; // 朋友圈 shares earn nothing
      const view = await deps.findView(doc.activityId);
      if (view?.live?.type !== 'invite' || view.withdrawn) return;
      const live = (view as InviteView).live;
      if (live.settings.qualifyingAction !== action) return;
      const now = deps.clock.now();
      // Within the activity's period only, as its rules say; a report arriving later pays nothing.
      if (view.liveEnd && now > view.liveEnd) return;
      const inviterId = doc.parentCustomerId;
      const { entry } = await slots.append(
        slotsOf(view._id, inviterId),
        (head) => {
          const rewarded = head?.data.rewarded ?? 0;
          const capped = rewarded >= live.settings.maxInvitesPerCustomer;
          return { inviteeId: doc._id, capped, rewarded: capped ? rewarded : rewarded + 1, ip: doc.ip };
        },
        { key: `slot:${view._id}:${doc._id}` },
      );
      await insertOnce(qualifications(), { _id: `${view._id}:${doc._id}`, activityId: view._id, inviterId, inviteeId: doc._id, attributedAt: doc.at, at: entry.at, capped: entry.data.capped });

      const base = { activityId: view._id, budget: live.budget } as const;
      if (!entry.data.capped && live.reward) {
        const request: RewardRequest = { ...base, customerId: inviterId, reason: 'invite', source: doc._id, reward: live.reward, description: `邀请好友：${live.title}` };
        const history = (await slots.readAll(slotsOf(view._id, inviterId))).filter((e) => e.seq <= entry.seq);
        const flags = flagsOf(
          history.map((e) => e.data),
          entry.at,
          history.map((e) => e.at),
        );
        if (flags.length) await deps.holds.hold(`invite:${view._id}:${doc._id}`, { kind: 'invite', activityId: view._id, customerId: inviterId, flags, rewardRequest: request });
        else await deps.rewards.issue(request);
      }
      if (live.settings.welcomeReward) {
        await deps.rewards.issue({ ...base, customerId: doc._id, reason: 'invite_welcome', source: doc._id, reward: live.settings.welcomeReward, description: `好友邀请礼：${live.title}` });
      }
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
