import { targetingApi } from '@shared/contracts/targeting';
import { csvRecords } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import { csvRowToTagRow } from './csv';
import type { Audience } from './audience';
import type { TargetingService } from './service';

export function targetingRoutes(service: TargetingService, audience: Audience) {
  return [
    implement(targetingApi.estimateAudience, ({ body }) => audience.estimate(body.expression)),
    implement(targetingApi.getAudienceVocabulary, () => audience.vocabulary()),
    implement(targetingApi.uploadCustomerTags, ({ principal, body, query }) => service.uploadTags(principal, body.items, { dryRun: query.dryRun === 'true' })),
    implement(targetingApi.uploadCustomerTagsCsv, ({ principal, body, query }) => service.uploadTags(principal, body.items, { dryRun: query.dryRun === 'true' }), {
      fromText: (text) => ({ items: csvRecords(text).map(csvRowToTagRow) }),
    }),
  ];
}
