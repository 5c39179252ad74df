import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { privacyRoutes } from './routes';
import { createPrivacyService } from './service';

/** Consent to the privacy policy and requests to delete one's personal information (PIPL). */
export function privacyModule(ctx: AppContext) {
  const service = createPrivacyService(ctx);
  const module: CapabilityModule = { name: 'privacy', routes: privacyRoutes(service) };
  return { module, service };
}
