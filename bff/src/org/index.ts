import type { CapabilityModule } from '../platform/module';
import type { OrgRepository } from './repository';

export { createOrgRepository, type OrgRepository } from './repository';

/** The bank's org tree: what staff scope is computed from. The repository is the one behind the context's org directory. */
export function orgModule(org: OrgRepository): CapabilityModule {
  return {
    name: 'org',
    ensureIndexes: () => org.ensureIndexes(),
    async seedDemo() {
      await (await import('../../demo/people')).seedDemoOrg(org);
    },
  };
}
