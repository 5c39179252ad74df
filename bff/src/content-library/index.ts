import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createContentAdmin, createContentRepository, usableBy } from './catalogue';
import { createOpens } from './opens';
import { contentLibraryRoutes } from './routes';
import { createContentService, type ContentScenes } from './service';

export type { ContentScenes } from './service';

/**
 * 内容库 (话术库): copy, posters and short articles reviewed by 消保, shared by relationship
 * managers through scenes of their own, opened by customers and counted once per sharer.
 */
export function contentLibraryModule(ctx: AppContext, deps: { scenes: ContentScenes; consented: (customerId: string) => Promise<boolean> }) {
  const contents = createContentRepository(ctx.db, ctx.clock, ctx.faults);
  const opens = createOpens(ctx.db, ctx.clock);
  const admin = createContentAdmin({ ...ctx, contents, bannedWords: ctx.config.bannedWords });
  const service = createContentService({ ...ctx, contents, opens, scenes: deps.scenes, consented: deps.consented });
  const module: CapabilityModule = {
    name: 'contentLibrary',
    routes: contentLibraryRoutes({ admin, service }),
    sweeps: { contentSteps: () => admin.recover() },
    jobs: { contentPruned: () => contents.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/content-library')).seedDemoContent(admin, ctx.clock),
    ensureIndexes: async () => {
      await contents.ensureIndexes();
      await opens.ensureIndexes();
    },
  };
  /**
   * For a marketing task: share a piece of content for it, how many customers opened it (through the
   * task's shares, with `taskId`), and what a task checks before it sends one (live, for whom, until when).
   */
  const tasks = {
    share: service.share,
    opens: service.opens,
    async find(contentId: string): Promise<{ title: string; unitIds: string[]; endAt: string } | null> {
      const doc = await contents.findView(contentId);
      return doc?.live && !doc.withdrawn ? { title: doc.live.title, unitIds: usableBy(doc.live), endAt: doc.live.endAt } : null;
    },
  };
  return { module, service: tasks, admin };
}
export type ContentLibrary = ReturnType<typeof contentLibraryModule>['service'];
