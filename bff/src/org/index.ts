import type { CapabilityModule } from '@/platform/module';
import type { OrgRepository } from './repository';

export { createOrgRepository, type OrgRepository } from './repository';

/** The bank's org tree: what staff scope is computed from. The repository is the one behind the context's org directory. */
export function orgModule(org: OrgRepository): CapabilityModule {
  return {
    name: 'org',
    ensureIndexes: () => org.ensureIndexes(),
    async seedDemo() {
      const { DEMO_ORG_UNITS } = await import('../../demo/people');
      for (const unit of DEMO_ORG_UNITS) await org.upsert(unit);
    },
  };
}
