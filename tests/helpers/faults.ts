import { SimulatedCrash, type Faults } from '../../bff/src/platform/faults';

export type ArmedFaults = Faults & {
  /** Fails the next pass through `point`: a crash (nothing after it runs), an error, or the database's "too busy". */
  arm(point: string, kind: 'crash' | 'error' | 'busy'): void;
  /** Holds the next caller at `point`: `reached` settles when one is held, `release` lets it go. */
  hold(point: string): { reached: Promise<void>; release(): void };
};

export function armedFaults(): ArmedFaults {
  let armed: { point: string; kind: 'crash' | 'error' | 'busy' } | null = null;
  let held: { point: string; arrive(): void; gate: Promise<void> } | null = null;
  return {
    arm: (point, kind) => {
      armed = { point, kind };
    },
    hit(point) {
      if (armed?.point !== point) return;
      const { kind } = armed;
      armed = null;
      if (kind === 'busy') throw new Error('database is locked'); // what FerretDB's SQLite says under write contention
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
