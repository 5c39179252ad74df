/** Every row of a list the BFF serves a page at a time, read page after page until its total: nothing is cut off unseen. */
export async function allPages<T>(pageOf: (page: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await pageOf(page);
    rows.push(...items);
    if (items.length === 0 || rows.length >= total) return rows;
  }
}

/** The most rows the BFF serves in one page (shared/contracts/paging.ts). */
export const MAX_PAGE_SIZE = 200;
