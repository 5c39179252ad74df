import type { CapabilityModule } from '../platform/module';
import type { OrgRepository } from './repository';

export { createOrgRepository, type OrgRepository } from './repository';

export const DEMO_ORG_UNITS = [
  { id: 'org-hq', name: '示例银行总行', level: 'head', parentId: null },
  { id: 'org-sh', name: '示例银行上海分行', level: 'branch', parentId: 'org-hq' },
  { id: 'org-gz', name: '示例银行广州分行', level: 'branch', parentId: 'org-hq' },
] as const;

/** The bank's org tree: what staff scope is computed from. The repository is the one behind the context's org directory. */
export function orgModule(org: OrgRepository): CapabilityModule {
  return {
    name: 'org',
    ensureIndexes: () => org.ensureIndexes(),
    async seedDemo() {
      for (const unit of DEMO_ORG_UNITS) await org.upsert(unit);
    },
  };
}
