/**
 * Named points where a test can make the process fail, to prove that recovery works.
 * Production passes none: `hit` is then a no-op.
 */
export type Faults = {
  hit(point: string): void;
  /** Holds the caller at this point until the test lets go, to force an interleaving. */
  pause(point: string): Promise<void>;
};
export const noFaults: Faults = { hit() {}, pause: async () => undefined };

/** Stands for the process dying at that point: nothing after it runs, not even compensation. */
export class SimulatedCrash extends Error {}

/** How long a `hold` keeps a spawned process's request at its point: longer than any test waits to kill it. */
const HOLD_MS = 30_000;

/**
 * Faults a spawned test process fails with on a schedule, read from `TEST_FAULTS` only when
 * NODE_ENV is `test`: `point=busy/7,other=error/3` fails every 7th pass through `point` with the
 * database's "too busy" answer, and so on; `point=hold/1` holds every request that pauses there
 * (so a test kills the process with requests surely in flight). A test that kills or runs real
 * processes cannot hand them a fault object; the points are the same ones in-process tests arm.
 */
export function scheduledFaults(spec: string | undefined, env: string): Faults {
  if (env !== 'test' || !spec) return noFaults;
  const plan = new Map<string, { kind: string; every: number; passes: number }>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [point, rule] = part.split('=');
    const [kind, every] = rule.split('/');
    plan.set(point, { kind, every: Number(every), passes: 0 });
  }
  return {
    hit(point) {
      const rule = plan.get(point);
      if (!rule || rule.kind === 'hold' || ++rule.passes % rule.every !== 0) return;
      throw new Error(rule.kind === 'busy' ? 'database is locked' : `scheduled failure at ${point}`);
    },
    async pause(point) {
      const rule = plan.get(point);
      if (rule?.kind === 'hold' && ++rule.passes % rule.every === 0) await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    },
  };
}
