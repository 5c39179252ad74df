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
