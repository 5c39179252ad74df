import type { ContentView, LibraryContentInput, UsableContent } from '@shared/contracts/content-library';
import type { Share } from '@shared/contracts/referrals';
import { EventName } from '@shared/events';
import { errorMessagesZh } from '@shared/errors';
import type { Clock } from '@/platform/clock';
import type { OrgDirectory, StaffDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import { usableBy, type ContentDoc, type ContentRepository } from './catalogue';
import type { Opens, Sharer } from './opens';

/** A share's scene as this module reads it (referrals/sharing/scenes.ts owns them). */
export type ContentScene = { _id: string; sharer: Sharer; contentId?: string | null; taskId?: string | null };
/** What this module asks of the scenes: a manager's scene for a piece of content (and a task), the scene an open names, and its share. */
export type ContentScenes = {
  ensure(input: { sharer: Sharer; activityId: null; assistId: null; contentId: string; taskId: string | null; channel: 'link' }): Promise<ContentScene>;
  find(id: string): Promise<ContentScene | null>;
  shareOf(scene: ContentScene): Share;
};

const isLiveAt = (doc: ContentDoc, now: Date) => doc.live !== null && !doc.withdrawn && doc.liveStart !== null && doc.liveEnd !== null && doc.liveStart <= now && now < doc.liveEnd;

/**
 * What managers and customers do with the library: a manager lists what they may share now and
 * shares it through a scene of their own; a customer opens it, counted once per sharer after consent.
 */
export function createContentService(deps: {
  clock: Clock;
  org: OrgDirectory;
  staff: StaffDirectory;
  outbox: Outbox;
  contents: ContentRepository;
  opens: Opens;
  scenes: ContentScenes;
  /** Agreed to the privacy policy in force: read fresh at each open, before anything is recorded. */
  consented: (customerId: string) => Promise<boolean>;
}) {
  const { clock, contents, opens } = deps;

  /** The manager's unit and every unit above it: content allowed to any of them is theirs to share. */
  async function unitsAbove(rmId: string): Promise<string[]> {
    const member = await deps.staff.findById(rmId);
    if (!member || member.role !== 'rm' || member.disabled) return [];
    return (await deps.org.findById(member.orgUnitId))?.path ?? [];
  }
  const mayUse = (doc: ContentDoc, units: string[]) => usableBy(doc.live!).some((unit) => units.includes(unit));

  /** Live, valid now, and allowed to this manager's unit or a unit above it; else it is not there for them. */
  async function usable(rmId: string, contentId: string): Promise<ContentDoc> {
    const [doc, units] = await Promise.all([contents.findView(contentId), unitsAbove(rmId)]);
    if (!doc || !isLiveAt(doc, clock.now()) || !mayUse(doc, units)) throw new AppError('NOT_FOUND', { message: '内容不存在、已过期或本机构不可用' });
    return doc;
  }

  const manager = (rmId: string): Sharer => ({ kind: 'staff', id: rmId });

  async function share(rmId: string, contentId: string, taskId: string | null): Promise<Share> {
    await usable(rmId, contentId);
    const scene = await deps.scenes.ensure({ sharer: manager(rmId), activityId: null, assistId: null, contentId, taskId, channel: 'link' });
    return deps.scenes.shareOf(scene);
  }

  const opensOf = (q: { contentId: string; rmId: string; taskId?: string | null }) => opens.count(q.contentId, manager(q.rmId), q.taskId);

  function asUsable(doc: ContentDoc, count: number): UsableContent {
    const c: LibraryContentInput = doc.live!;
    return {
      id: doc._id,
      code: doc.code,
      type: c.type,
      title: c.title,
      summary: c.summary ?? null,
      body: c.body ?? null,
      image: c.image ?? null,
      startAt: c.startAt,
      endAt: c.endAt,
      opens: count,
    };
  }

  /**
   * Counts the open for the scene's sharer when the scene is a share of this content and the
   * customer has agreed to the policy in force; otherwise the content still shows, counted for nobody.
   */
  async function countOpen(contentId: string, sceneId: string | undefined, customerId: string): Promise<void> {
    if (!sceneId) return;
    const scene = await deps.scenes.find(sceneId);
    if (!scene || scene.contentId !== contentId) return;
    if (scene.sharer.kind === 'customer' && scene.sharer.id === customerId) return;
    if (!(await deps.consented(customerId))) return;
    const taskId = scene.taskId ?? null;
    await opens.record(contentId, scene.sharer, taskId, customerId);
    // Recorded again on a repeat: the outbox keeps the first, so an open whose event a crash cut off gets it now.
    await deps.outbox.record(EventName.CONTENT_OPENED, `${contentId}|${scene.sharer.kind}:${scene.sharer.id}|${customerId}`, {
      contentId,
      rmId: scene.sharer.kind === 'staff' ? scene.sharer.id : null,
      taskId,
      customerId,
    });
  }

  return {
    share,
    opens: opensOf,

    /** What this manager may share now, newest first, each with the customers who opened it through their shares. */
    async listUsable(rmId: string): Promise<UsableContent[]> {
      const units = await unitsAbove(rmId);
      const docs = (await contents.liveViews(clock.now())).filter((doc) => mayUse(doc, units));
      docs.sort((a, b) => b.liveStart!.getTime() - a.liveStart!.getTime() || a.code.localeCompare(b.code));
      return Promise.all(docs.map(async (doc) => asUsable(doc, await opensOf({ contentId: doc._id, rmId }))));
    },

    /**
     * The content as the customer sees it; withdrawn, expired or not yet valid: CONTENT_UNAVAILABLE (410). An id
     * that names nothing is 404, in the same words for the customer.
     */
    async open(customerId: string, contentId: string, sceneId: string | undefined): Promise<ContentView> {
      const doc = await contents.findView(contentId);
      if (!doc) throw new AppError('NOT_FOUND', { message: errorMessagesZh.CONTENT_UNAVAILABLE });
      if (!isLiveAt(doc, clock.now())) throw new AppError('CONTENT_UNAVAILABLE');
      const c = doc.live!;
      const [unit] = await Promise.all([deps.org.findById(c.orgUnitId), countOpen(contentId, sceneId, customerId)]);
      return {
        id: doc._id,
        type: c.type,
        title: c.title,
        summary: c.summary ?? null,
        body: c.body ?? null,
        image: c.image ?? null,
        unitName: unit?.name ?? '',
        validUntil: c.endAt,
      };
    },
  };
}
export type ContentService = ReturnType<typeof createContentService>;
