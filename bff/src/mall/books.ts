import type { PointsAccounts } from '@/platform/directory';
import { decodeCursor, encodeCursor } from '@/platform/check-cursor';
import type { CodePools } from '@/kernel/code-pools';
import type { CatalogueRepository } from './catalogue/items';
import type { OrderDoc, OrderStore } from './orders/store';
import type { Stock, StockPosition } from './stock/stock';

/**
 * Where the whole mall's check stands: in its orders (after order `orders`; null: from the
 * first), or in its items (item `items` from position `at`, or when `at` is null the item after
 * `items`; null: from the first).
 */
type Position = { orders: string | null } | { items: string | null; at: StockPosition | null };

const encode = (p: Position) => encodeCursor(p);
/** `itemId`: one item's check walks that item alone, so a cursor of another item's check is not one of its own. */
const decode = (cursor: string, itemId: string | undefined) =>
  decodeCursor<Position>(cursor, (p) => {
    const id = (v: unknown) => v === null || typeof v === 'string';
    const at = (v: unknown) => v === null || (typeof v === 'object' && Number.isInteger((v as StockPosition).k) && Number.isInteger((v as StockPosition).seq));
    if (typeof p === 'object' && p !== null && 'orders' in p && id(p.orders)) return { orders: p.orders as string | null };
    if (typeof p === 'object' && p !== null && 'items' in p && 'at' in p && id(p.items) && at(p.at) && (p.items !== null || p.at === null)) {
      if (itemId !== undefined && p.items !== null && p.items !== itemId) return null;
      return { items: p.items as string | null, at: p.at as StockPosition | null };
    }
    return null;
  });

const HOLDING: OrderDoc['status'][] = ['completed', 'awaiting_shipment', 'shipped'];
/** Catalogue entries read at a time when looking for the next item (categories are skipped). */
const VIEWS_PAGE = 50;

type Checked = { orders: number; items: number; stockEntries: number; customers: number };

/**
 * The mall's books: stock streams replay cleanly, the orders holding a unit are exactly the
 * confirmed ones, no code is held by two orders, and every order's points were debited once
 * and refunded only if it failed. Every read is by `_id` or key except the page reads
 * themselves, so an order costs a few lookups and a page `limit` of them whatever the history.
 */
export function createMallBooks(deps: { catalogue: CatalogueRepository; stock: Stock; codes: CodePools; orders: OrderStore; points: PointsAccounts }) {
  const { stock, orders } = deps;

  async function checkOrder(o: OrderDoc): Promise<string[]> {
    // A prize's unit was set aside with its draw, and nothing was paid for it.
    if (o.prize) return [];
    const problems: string[] = [];
    const holds = HOLDING.includes(o.status);
    const [held, spent, refunded] = await Promise.all([
      o.status === 'processing' ? null : stock.isReserved(o.itemId, o._id),
      deps.points.findByKey(o.customerId, `mall:${o._id}`).then((e) => e !== null),
      deps.points.findByKey(o.customerId, `mall-refund:${o._id}`).then((e) => e !== null),
    ]);
    if (held !== null && held !== holds) problems.push(`order ${o._id} (${o.status}) ${holds ? 'holds no unit' : 'still holds a unit'}`);
    if (holds && (!spent || refunded)) problems.push(`order ${o._id} (${o.status}) points ${spent ? 'refunded' : 'never debited'}`);
    if ((o.status === 'failed' || o.status === 'cancelled') && spent !== refunded) problems.push(`order ${o._id} (${o.status}) debited but not refunded`);
    return problems;
  }

  /** These orders, and the points accounts of their customers from their first entries. */
  async function checkOrders(list: OrderDoc[]) {
    const violations: string[] = [];
    for (const o of list) violations.push(...(await checkOrder(o)));
    const customers = new Set(list.map((o) => o.customerId));
    for (const c of customers) violations.push(...(await deps.points.check(c)));
    return { violations, customers: customers.size };
  }

  /** The first item (not a category) after `after` in `_id` order, or null past the last. */
  async function itemAfter(after: string | null): Promise<string | null> {
    for (;;) {
      const views = await deps.catalogue.viewsAfter(after, VIEWS_PAGE);
      const item = views.find((v) => v.type !== 'category');
      if (item) return item._id;
      if (views.length < VIEWS_PAGE) return null;
      after = views[views.length - 1]._id;
    }
  }

  return {
    /**
     * One page of the check of the whole mall, or of one item: `limit` orders, then, once every
     * order is done, `limit` stock entries item after item (each item's codes when its streams
     * are done). Orders and items are walked in `_id` order, so each one there when the check
     * started is checked once; `complete` only on the page that finishes the last item.
     */
    async checkPage(cursor: string | undefined, limit: number, itemId?: string) {
      const position = cursor === undefined ? { orders: null } : decode(cursor, itemId);
      const after = (id: string | null) => (itemId === undefined ? itemAfter(id) : id === null ? itemId : null);
      const total =
        cursor !== undefined
          ? null
          : itemId === undefined
            ? { orders: await orders.count(), items: await deps.catalogue.countViews('category') }
            : { orders: await orders.count(itemId), items: 1 };
      const checked: Checked = { orders: 0, items: 0, stockEntries: 0, customers: 0 };
      const page = (violations: string[], next: Position | null) => ({ checked, total, violations, next: next && encode(next), complete: next === null });

      if ('orders' in position) {
        const list = await orders.pageAfter(position.orders, limit, itemId);
        const { violations, customers } = await checkOrders(list);
        Object.assign(checked, { orders: list.length, customers });
        return page(violations, list.length === limit ? { orders: list[list.length - 1]._id } : { items: null, at: null });
      }

      const violations: string[] = [];
      let item = position.at ? position.items : await after(position.items);
      let at = position.at ?? { k: 0, seq: 0 };
      // Every item costs at least one of the page's `limit`, so an item without stock still moves the page on.
      for (let budget = limit; item !== null && budget > 0;) {
        const done = await stock.checkEntries(item, at, budget);
        violations.push(...done.problems);
        checked.stockEntries += done.read;
        budget -= Math.max(done.read, 1);
        if (done.next) {
          at = done.next;
          continue;
        }
        violations.push(...(await deps.codes.check(item)));
        checked.items += 1;
        item = await after(item);
        at = { k: 0, seq: 0 };
      }
      return page(violations, item === null ? null : { items: item, at });
    },
  };
}

export type MallBooks = ReturnType<typeof createMallBooks>;
