import { privacyApi } from '@shared/contracts/privacy';
import { implement } from '@/platform/http/routes';
import type { PrivacyService } from './service';

export function privacyRoutes(service: PrivacyService) {
  return [
    implement(privacyApi.getMyPrivacy, ({ principal }) => service.mine(principal.id)),
    implement(privacyApi.consentToPrivacyPolicy, ({ principal, body }) => service.consent(principal.id, body.policyVersion)),
    implement(privacyApi.requestMyDataDeletion, ({ principal }) => service.requestDeletion(principal.id)),
  ];
}
