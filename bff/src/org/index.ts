import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';

export const DEMO_ORG_UNITS = [
  { id: 'org-hq', name: '示例银行总行', level: 'head', parentId: null },
  { id: 'org-sh', name: '示例银行上海分行', level: 'branch', parentId: 'org-hq' },
  { id: 'org-gz', name: '示例银行广州分行', level: 'branch', parentId: 'org-hq' },
] as const;

/** The bank's org tree: what staff scope is computed from. */
export function orgModule(ctx: AppContext): CapabilityModule {
  return {
    name: 'org',
    ensureIndexes: () => ctx.org.ensureIndexes(),
    async seedDemo() {
      for (const unit of DEMO_ORG_UNITS) await ctx.org.upsert(unit);
    },
  };
}
