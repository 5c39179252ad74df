import { contentLibraryApi, libraryContentReview } from '@shared/contracts/content-library';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToContent, type ContentAdmin } from './catalogue';
import type { ContentService } from './service';

export function contentLibraryRoutes(deps: { admin: ContentAdmin; service: ContentService }) {
  return [
    ...reviewedAdminRoutes({ operations: libraryContentReview, service: deps.admin, csvRow: csvRowToContent }),
    implement(contentLibraryApi.listUsableContent, async ({ principal }) => ({ items: await deps.service.listUsable(principal.id) })),
    implement(contentLibraryApi.shareContent, ({ principal, params }) => deps.service.share(principal.id, params.id, null)),
    implement(contentLibraryApi.openContent, ({ principal, params, query }) => deps.service.open(principal.id, params.id, query.scene)),
  ];
}
