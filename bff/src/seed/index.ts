import type { Config } from '@/config';
import type { CapabilityModule } from '@/platform/module';

/**
 * Each module's demo data, in module order (org units before the staff in them); idempotent,
 * so it runs at every start. `only` names the modules to seed (tests seed people, not a mall).
 */
export async function seedDemoData(services: { modules: CapabilityModule[] }, config: Config, only?: string[]): Promise<void> {
  if (config.env === 'production') throw new Error('demo data is never seeded in production');
  for (const module of services.modules) {
    if (!only || only.includes(module.name)) await module.seedDemo?.();
  }
}
