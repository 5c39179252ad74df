import { z } from 'zod';

/** `/:id` path parameters. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });
