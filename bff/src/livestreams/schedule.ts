import type { Livestream } from '@shared/contracts/livestreams';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import { alongside } from '@/platform/alongside';
import type { JobBooks } from '@/platform/job-books';
import type { Faults } from '@/platform/faults';
import type { StreamStore } from '@/platform/stream';
import type { TaskService } from '@/tasks';
import { replayOf, stateOf, type LivestreamRepository, type LivestreamView, type MarksDoc } from './catalogue';

/** A customer's reservation (`<live>|<customer>`): an insert to make, a delete by `_id` to cancel. */
export type ReservationDoc = { _id: string; livestreamId: string; customerId: string; subscribed: boolean; at: Date };
/** Who ever reserved a livestream, in order: what the reminder reads, checking each against the reservations that stand. */
export type ReserverEntry = { customerId: string };

/** How long a reservation's joins may take before the sweep takes it for one a crash cut short. */
const RESERVE_LEASE_MS = 60_000;

export function createSchedule(deps: {
  db: Database;
  clock: Clock;
  livestreams: LivestreamRepository;
  reservers: StreamStore<ReserverEntry>;
  tasks: TaskService;
  findActivity: (id: string) => Promise<ActivityView | null>;
  /** Joins a linked 直播 activity (paying its participation reward once): reserving the show is taking part in it. */
  joinActivity: (customerId: string, activityId: string) => Promise<unknown>;
  findItemTitle: (id: string) => Promise<string | null>;
  /** The web-view allowlist a replay's address must pass at every read. */
  allowlist: readonly string[];
  /** Agreed to the policy in force and no deletion asked for: read fresh before a sweep joins for a reservation. */
  mayContact: (customerId: string) => Promise<boolean>;
  jobBooks: JobBooks;
  faults: Faults;
}) {
  const reservations = () => deps.db.collection<ReservationDoc>('livestream_reservations');
  // A reservation whose linked activities are being joined: written before it, removed after; a sweep finishes one a crash cut short.
  const inFlight = () => deps.db.collection<{ _id: string; livestreamId: string; customerId: string; at: Date }>('livestream_reservations_in_flight');
  const marks = () => deps.db.collection<MarksDoc>('livestream_marks');
  const reservationId = (livestreamId: string, customerId: string) => `${livestreamId}|${customerId}`;

  async function published(id: string): Promise<LivestreamView> {
    const view = (await deps.livestreams.findView(id)) as LivestreamView | null;
    const now = deps.clock.now();
    if (!view?.live || view.withdrawn || !view.liveEnd || view.liveEnd <= now) throw new AppError('NOT_FOUND', { message: '直播不存在' });
    return view;
  }

  async function describe(view: LivestreamView, customerId: string, full: boolean): Promise<Livestream> {
    const l = view.live;
    const [m, mine] = await Promise.all([marks().findOne({ _id: view._id }), reservations().findOne({ _id: reservationId(view._id, customerId) })]);
    const now = deps.clock.now();
    const replay = replayOf(l, deps.allowlist);
    const activities = full
      ? (await Promise.all(l.activityIds.map(deps.findActivity))).filter((a): a is ActivityView => !!a?.live && !a.withdrawn && !!a.liveEnd && a.liveEnd > now)
      : [];
    const items = full
      ? (await Promise.all(l.itemIds.map(async (id) => ({ id, title: await deps.findItemTitle(id) })))).filter((i): i is { id: string; title: string } => i.title !== null)
      : [];
    return {
      id: view._id,
      title: l.title,
      host: l.host,
      description: l.description,
      cover: l.cover ?? null,
      startAt: l.startAt,
      endAt: l.endAt,
      state: stateOf(l, m, now, replay),
      channel: l.channel,
      replayUrl: replay,
      reserved: mine !== null,
      reminded: mine?.subscribed ?? false,
      reminderTemplateId: l.reminder.templateId,
      activities: activities.map((a) => ({ id: a._id, title: a.live!.title })),
      items,
    };
  }

  /**
   * One reservation per show: reserving a livestream joins each of its linked 直播 activities the
   * customer may take part in (a join is idempotent, so a retried reservation finishes what a cut
   * one left). An activity the customer may not join is simply not joined.
   */
  async function joinLinked(customerId: string, l: LivestreamView['live']): Promise<void> {
    await Promise.all(
      l.activityIds.map(async (activityId) => {
        if ((await deps.findActivity(activityId))?.live?.type !== 'live') return;
        await deps.joinActivity(customerId, activityId).catch((err: unknown) => {
          if (!(err instanceof AppError)) throw err;
        });
      }),
    );
  }

  async function insertReservation(customerId: string, id: string, subscribed: boolean): Promise<boolean> {
    const at = deps.clock.now();
    const doc = { _id: reservationId(id, customerId), livestreamId: id, customerId, subscribed, at };
    if (!(await insertOnce(reservations(), doc))) return false;
    await deps.reservers.append(`reservers:${id}`, () => ({ customerId }), { key: `reserve:${id}|${customerId}|${at.getTime()}` });
    return true;
  }

  return {
    marks,
    reservations,
    async list(customerId: string): Promise<Livestream[]> {
      const views = (await deps.livestreams.liveViews(deps.clock.now())) as LivestreamView[];
      const shown = await Promise.all(views.map((v) => describe(v, customerId, false)));
      const rank = { live: 0, upcoming: 1, replay: 2, ended: 3 } as const;
      return shown.sort((a, b) => rank[a.state] - rank[b.state] || (a.state === 'upcoming' ? a.startAt.localeCompare(b.startAt) : b.startAt.localeCompare(a.startAt)));
    },

    detail: async (customerId: string, id: string) => describe(await published(id), customerId, true),

    /** Reserves before the start; the reminder goes only to reservations that still stand and accepted the template. */
    async reserve(customerId: string, id: string, subscribed: boolean): Promise<Livestream> {
      const view = await published(id);
      if (stateOf(view.live, await marks().findOne({ _id: id }), deps.clock.now(), replayOf(view.live, deps.allowlist)) !== 'upcoming')
        throw new AppError('LIVESTREAM_NOT_RESERVABLE');
      const key = reservationId(id, customerId);
      await insertOnce(inFlight(), { _id: key, livestreamId: id, customerId, at: deps.clock.now() });
      if (!(await insertReservation(customerId, id, subscribed))) {
        // Reserving again says afresh whether the reminder template was accepted; only its owner writes this document.
        const doc = { _id: key, livestreamId: id, customerId, subscribed, at: deps.clock.now() };
        await reservations().replaceOne({ _id: doc._id }, doc);
      }
      deps.faults.hit('after:livestream.reserved');
      await joinLinked(customerId, view.live);
      await alongside(inFlight().deleteOne({ _id: key }));
      return describe(view, customerId, true);
    },

    /** Finishes reservations a crash cut short past their lease: the show was reserved, so its linked activities are joined. */
    async recover() {
      const markers = await inFlight()
        .find({ at: { $lte: new Date(deps.clock.now().getTime() - RESERVE_LEASE_MS) } })
        .limit(500)
        .toArray();
      return deps.jobBooks.each(
        'livestreams.reservations',
        markers,
        (m) => m._id,
        async (m) => {
          const view = (await deps.livestreams.findView(m.livestreamId)) as LivestreamView | null;
          // Nothing more is written for a customer who has since withdrawn consent or asked for deletion.
          if (view?.live && (await deps.mayContact(m.customerId))) await joinLinked(m.customerId, view.live);
          await inFlight().deleteOne({ _id: m._id });
        },
      );
    },

    /**
     * The other side of one reservation per show: joining a 直播 activity reserves each upcoming
     * livestream that links it (without a reminder: that needs the customer's own acceptance on the
     * livestream's page). Called again by a retried join.
     */
    async reserveLinked(customerId: string, activityId: string): Promise<void> {
      const now = deps.clock.now();
      const linked = ((await deps.livestreams.liveViews(now)) as LivestreamView[]).filter(
        (v) => v.live.activityIds.includes(activityId) && stateOf(v.live, null, now, null) === 'upcoming',
      );
      await Promise.all(linked.map((v) => insertReservation(customerId, v._id, false)));
    },

    async cancel(customerId: string, id: string): Promise<Livestream> {
      const view = await published(id);
      await reservations().deleteOne({ _id: reservationId(id, customerId) });
      return describe(view, customerId, true);
    },

    /** Entering a live or its replay: the 观看直播 task is done. */
    async enter(customerId: string, id: string): Promise<{ state: Livestream['state']; taskPaid: boolean }> {
      const view = await published(id);
      const state = stateOf(view.live, await marks().findOne({ _id: id }), deps.clock.now(), replayOf(view.live, deps.allowlist));
      if (state !== 'live' && state !== 'replay') throw new AppError('LIVESTREAM_NOT_LIVE');
      return { state, taskPaid: (await deps.tasks.completed(customerId, 'watch_live')) > 0 };
    },
  };
}

export type Schedule = ReturnType<typeof createSchedule>;
