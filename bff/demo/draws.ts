import { DEMO_CUSTOMERS } from './people';
import type { CodePools } from '../src/kernel/code-pools';

/** The demo draw's coupon codes, and three chances for each demo customer (the same every start). */
export async function seedDemoDraws(deps: {
  idForCode: (code: string) => Promise<string | null>;
  codes: CodePools;
  poolOf: (activityId: string, prizeCode: string) => string;
  grant: (activityId: string, customerId: string, count: number, ref: string) => Promise<unknown>;
}): Promise<void> {
  const id = await deps.idForCode('DEMO-DRAW-LUCKY');
  if (!id) return;
  await deps.codes.upload(
    deps.poolOf(id, 'COFFEE'),
    Array.from({ length: 100 }, (_, i) => `LKDRAW${String(i + 1).padStart(5, '0')}`),
  );
  for (const customer of DEMO_CUSTOMERS) await deps.grant(id, customer.id, 3, `demo-grant:${customer.id}`);
}
