import { SimulatedCrash, type Faults } from '../../bff/src/platform/faults';

export type ArmedFaults = Faults & {
  /** Fails the next pass through `point`: a crash (nothing after it runs) or an error. */
  arm(point: string, kind: 'crash' | 'error'): void;
  /** Holds the next caller at `point`: `reached` settles when one is held, `release` lets it go. */
  hold(point: string): { reached: Promise<void>; release(): void };
};

export function armedFaults(): ArmedFaults {
  let armed: { point: string; kind: 'crash' | 'error' } | null = null;
  let held: { point: string; arrive(): void; gate: Promise<void> } | null = null;
  return {
    arm: (point, kind) => {
      armed = { point, kind };
    },
    hit(point) {
      if (armed?.point !== point) return;
      const { kind } = armed;
      armed = null;
      throw kind === 'crash' ? new SimulatedCrash(`crash at ${point}`) : new Error(`injected failure at ${point}`);
    },
    hold(point) {
      let arrive!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((r) => (arrive = r));
      const gate = new Promise<void>((r) => (release = r));
      held = { point, arrive, gate };
      return { reached, release };
    },
    async pause(point) {
      if (held?.point !== point) return;
      const { arrive, gate } = held;
      held = null;
      arrive();
      await gate;
    },
  };
}
