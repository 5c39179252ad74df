/**
 * Named points where a test can make the process fail, to prove that recovery works.
 * Production passes none: `hit` is then a no-op.
 */
export type Faults = { hit(point: string): void };
export const noFaults: Faults = { hit() {} };

/** Stands for the process dying at that point: nothing after it runs, not even compensation. */
export class SimulatedCrash extends Error {}
