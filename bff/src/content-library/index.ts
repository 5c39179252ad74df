import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createContentAdmin, createContentRepository } from './catalogue';
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
  /** For a marketing task: share a piece of content for it, and how many customers opened it (through the task's shares, with `taskId`). */
  const tasks = { share: service.share, opens: service.opens };
  return { module, service: tasks, admin };
}
export type ContentLibrary = ReturnType<typeof contentLibraryModule>['service'];
