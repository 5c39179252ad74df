import { CatalogueEntryInput, type CategoryInput, type MallItemInput } from '@shared/contracts/mall';
import { EventName } from '@shared/events';
import type { Scope } from '@/platform/auth/scope';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { AuditLog } from '@/platform/audit';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS } from '@/kernel/review/workflow';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import type { Stock } from '../stock/stock';

/** Categories are always on once approved; items sell within their sale window. */
const ALWAYS = { start: new Date(0), end: new Date('9999-12-31T00:00:00Z') };

type CatalogueExtra = { categoryCode: string | null; sortOrder: number };
type CatalogueView = ReviewedView<CatalogueEntryInput, CatalogueExtra>;
export type LiveItem = CatalogueView & { live: MallItemInput };
export type LiveCategory = CatalogueView & { live: CategoryInput };

export function createCatalogueRepository(db: Database, clock: Clock, faults: Faults) {
  return createReviewedRepository<CatalogueEntryInput, CatalogueExtra>(
    db,
    clock,
    {
      name: 'mall_item',
      viewCollection: 'mall_catalogue',
      window: (e) => (e.type === 'category' ? ALWAYS : { start: new Date(e.saleWindow.startAt), end: new Date(e.saleWindow.endAt) }),
      extra: (live) => ({ categoryCode: live && live.type !== 'category' ? live.categoryCode : null, sortOrder: live?.sortOrder ?? 0 }),
    },
    faults,
  );
}

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;

export function createCatalogueAdmin(deps: {
  clock: Clock;
  scope: Scope;
  outbox: Outbox;
  audit: AuditLog;
  faults: Faults;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
  catalogue: CatalogueRepository;
  stock: Stock;
  bannedWords: string[];
}) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.catalogue,
    schema: CatalogueEntryInput,
    label: '商品',
    errors: REVIEW_ERRORS,
    events: { published: EventName.MALL_ITEM_PUBLISHED, withdrawn: EventName.MALL_ITEM_WITHDRAWN, idField: 'itemId' },
    checkEdit(view, next) {
      // Stock on sale is money-like: after the first approval it moves only through reviewed adjustments.
      if (view.live && view.live.type !== 'category' && next.type !== 'category' && view.live.initialStock !== next.initialStock) {
        throw new AppError('MALL_INITIAL_STOCK_LOCKED');
      }
    },
    async onApproved(view) {
      // Keyed by the item: only the first approval puts stock on sale.
      // A coupon's units are bounded by one code pool, checked on one stream: it is never split.
      if (view.live && view.live.type !== 'category') await deps.stock.initialise(view._id, view.live.initialStock, view.live.type === 'coupon' ? 1 : undefined);
    },
  });
}

export type CatalogueAdmin = ReturnType<typeof createCatalogueAdmin>;

export const csvRowToCatalogueEntry = csvRowReader({
  json: new Set(['images', 'limits', 'allowedTiers', 'fulfilment', 'saleWindow']),
  numbers: new Set([
    'pricePoints',
    'cashYuan',
    'initialStock',
    'sortOrder',
    'limits.perDay',
    'limits.lifetime',
    'fulfilment.validDays',
    'fulfilment.faceValueYuan',
    'fulfilment.months',
  ]),
});
