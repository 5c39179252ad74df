import { mallItemTypeNamesZh, type BlockReason, type MallHome, type MallItemDetail, type MallItemSummary } from '@shared/contracts/mall';

import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { bankDay } from '@/platform/time';
import type { CustomerDirectory, OrgDirectory, OrgUnit, PointsAccounts } from '@/platform/directory';
import type { CatalogueRepository, LiveCategory, LiveItem } from './items';
import type { CodePools } from '@/kernel/code-pools';
import type { LimitSlots } from '../orders/limits';
import type { Stock } from '../stock/stock';

const ORG_HINT_MS = 60_000;
const ORG_HINTS = 10_000;

/**
 * The mall as customers browse it: what their branch chain offers, and for each item whether
 * they can redeem it now and if not why (tier, sold out, a limit, points), so the page tells
 * the truth before the tap. Redeeming checks all of it again where races are settled.
 */
export function createMallBrowsing(deps: {
  clock: Clock;
  catalogue: CatalogueRepository;
  stock: Stock;
  codes: CodePools;
  limits: LimitSlots;
  points: PointsAccounts;
  customers: CustomerDirectory;
  org: OrgDirectory;
  tierOf: (customerId: string) => Promise<string | null>;
}) {
  const { clock, catalogue, stock } = deps;

  // Org units read lately: the bank's tree changes seldom, so a unit read in the last minute stands for what the mall
  // shows; `fresh` reads it again (a customer refused an item is refused on what the database says now).
  const units = new Map<string, { unit: Promise<OrgUnit | null>; at: number }>();
  function orgUnit(id: string, fresh: boolean): Promise<OrgUnit | null> {
    const now = Date.now();
    const seen = units.get(id);
    if (!fresh && seen && now - seen.at < ORG_HINT_MS) return seen.unit;
    const unit = deps.org.findById(id);
    if (units.size >= ORG_HINTS) units.clear();
    units.set(id, { unit, at: now });
    unit.catch(() => units.delete(id));
    return unit;
  }

  /** The org units whose mall a customer sees: their branch chain; head office only if unassigned. */
  async function orgChain(customerId: string, fresh = false): Promise<(unitId: string) => Promise<boolean>> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const path = customer.orgUnitId ? ((await orgUnit(customer.orgUnitId, fresh))?.path ?? []) : [];
    return async (unitId) => path.includes(unitId) || (await orgUnit(unitId, fresh))?.parentId === null;
  }

  async function liveCatalogue(customerId: string) {
    const sees = await orgChain(customerId);
    const views = await catalogue.liveViews(clock.now());
    const visible = [];
    for (const v of views) if (await sees(v.orgUnitId)) visible.push(v);
    const bySort = (a: { sortOrder: number; code: string }, b: { sortOrder: number; code: string }) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code);
    return {
      categories: (visible.filter((v) => v.type === 'category') as LiveCategory[]).sort(bySort),
      items: (visible.filter((v) => v.type !== 'category') as LiveItem[]).sort(bySort),
    };
  }

  type Context = { balance: number; tier: string | null; day: string };
  async function contextOf(customerId: string): Promise<Context> {
    const [points, tier] = await Promise.all([deps.points.balance(customerId), deps.tierOf(customerId)]);
    return { balance: points.balance, tier, day: bankDay(clock.now()) };
  }

  type Units = { level: ReturnType<typeof stock.level>; pool: Promise<number> | null };
  /** An item's stock level and, for a coupon, its pool's size, being read (both keyed by the item's id alone). */
  const unitsOf = (itemId: string, coupon: boolean): Units => ({ level: stock.level(itemId), pool: coupon ? deps.codes.poolSize(itemId) : null });

  /** Units a customer can still get: for a coupon, no more than the codes not yet held by orders. */
  async function available(item: LiveItem, units = unitsOf(item._id, item.live.type === 'coupon')): Promise<number> {
    const [level, pool] = await Promise.all([units.level, item.live.type === 'coupon' ? units.pool : null]);
    return pool === null ? level.stock : Math.max(0, Math.min(level.stock, pool - level.sold));
  }

  /** What is left of an item for this customer: units, and their use of its limits on `day`. */
  async function usageOf(item: LiveItem, customerId: string, day: string, units?: Units) {
    const [left, used] = await Promise.all([available(item, units), deps.limits.used(item._id, customerId, day, item.live.limits)]);
    return { left, used };
  }

  async function standing(item: LiveItem, customerId: string, ctx: Context, usage = usageOf(item, customerId, ctx.day)) {
    const live = item.live;
    const { left, used } = await usage;
    let blockedBy: BlockReason | null = null;
    // A cash part needs a payment the mini-program does not take yet: never redeemed for points alone.
    if (live.cashYuan) blockedBy = 'cash_payment_unavailable';
    else if (live.allowedTiers.length && !(ctx.tier && (live.allowedTiers as string[]).includes(ctx.tier))) blockedBy = 'tier_not_allowed';
    else if (left < 1) blockedBy = 'sold_out';
    else if (live.limits.lifetime && used.total >= live.limits.lifetime) blockedBy = 'lifetime_limit';
    else if (live.limits.perDay && used.today >= live.limits.perDay) blockedBy = 'daily_limit';
    else if (ctx.balance < live.pricePoints) blockedBy = 'points_insufficient';
    return { left, used, blockedBy };
  }

  function summary(item: LiveItem, s: Awaited<ReturnType<typeof standing>>): MallItemSummary {
    const live = item.live;
    return {
      id: item._id,
      code: item.code,
      type: live.type,
      typeName: mallItemTypeNamesZh[live.type],
      categoryCode: live.categoryCode,
      title: live.title,
      cover: live.images.cover ?? null,
      pricePoints: live.pricePoints,
      cashYuan: live.cashYuan ?? null,
      stock: s.left,
      allowedTiers: [...live.allowedTiers],
      blockedBy: s.blockedBy,
    };
  }

  /** A live item this customer may see; otherwise why not. */
  async function itemFor(customerId: string, itemId: string, found = catalogue.findView(itemId)): Promise<LiveItem> {
    const [view, reaches] = await Promise.all([found, orgChain(customerId)]);
    if (!view || view.type === 'category' || !view.live) throw new AppError('NOT_FOUND');
    if (!(await reaches(view.orgUnitId)) && !(await (await orgChain(customerId, true))(view.orgUnitId))) throw new AppError('NOT_FOUND');
    const now = clock.now();
    if (view.withdrawn || !view.liveStart || now < view.liveStart || now >= view.liveEnd!) throw new AppError('MALL_NOT_ON_SALE');
    return view as LiveItem;
  }

  return {
    async home(customerId: string): Promise<MallHome> {
      const [{ categories, items }, ctx] = await Promise.all([liveCatalogue(customerId), contextOf(customerId)]);
      const standings = await Promise.all(items.map((item) => standing(item, customerId, ctx)));
      return {
        balance: ctx.balance,
        tier: ctx.tier,
        categories: categories.map((c) => ({ code: c.code, name: c.live.name, icon: c.live.icon ?? null })),
        items: items.map((item, i) => summary(item, standings[i])),
      };
    },

    async item(customerId: string, itemId: string): Promise<MallItemDetail> {
      const item = await itemFor(customerId, itemId);
      const s = await standing(item, customerId, await contextOf(customerId));
      const live = item.live;
      return {
        ...summary(item, s),
        description: live.description,
        gallery: live.images.gallery,
        limits: live.limits,
        saleWindow: live.saleWindow,
        needs: live.type === 'physical' ? 'address' : live.type === 'topup' || live.type === 'membership' ? 'account' : 'nothing',
        redeemedToday: s.used.today,
        redeemedTotal: s.used.total,
      };
    },

    itemFor,
    /**
     * The item a customer asks for, as `itemFor`, and its `usageOf` on `day`, read beside the
     * customer's branch rather than after it (null when the item is not one, so `itemFor` refuses);
     * `pool`: the size of its coupon pool, as read for that.
     */
    itemWithUsage(customerId: string, itemId: string, day: string) {
      const found = catalogue.findView(itemId);
      // Its units are read beside it too: they are keyed by the id asked for (a pool is read for any item; one that is not a coupon ignores it).
      const units = unitsOf(itemId, true);
      units.level.catch(() => undefined);
      units.pool?.catch(() => undefined);
      const usage = found.then((v) => (v && v.type !== 'category' && v.live ? usageOf(v as LiveItem, customerId, day, units) : null));
      usage.catch(() => undefined); // read only once the item is known to be the customer's
      return { item: itemFor(customerId, itemId, found), usage, pool: units.pool! };
    },
    contextOf,
    standing,
  };
}

export type MallBrowsing = ReturnType<typeof createMallBrowsing>;
