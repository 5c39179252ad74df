import { z } from 'zod';

/** Page-numbered paging of an admin table: the console's tables page on the server. */
export const pageNumberFields = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
export const numberedPageOf = <T extends z.ZodType>(row: T) => z.object({ items: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
