// Kept free of zod, like errors.ts: the mini-program imports it.
import type { ActivityType } from './contracts/activities';

/**
 * Types a customer takes part in by joining (a livestream reservation, 预约直播), which pays
 * the participation reward once. The others are taken part in their own way: a quiz by passing
 * it, a task by doing it, an invite by inviting, a mall promotion in the mall; draws, assists
 * and life services only once their features are open, and never by a join that does nothing.
 */
export const JOINABLE_TYPES: readonly ActivityType[] = ['live'];
