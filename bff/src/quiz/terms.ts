import type { ActivityInput, Reward } from '@shared/contracts/activities';
import type { LiveView } from '@/activities';
import type { RewardRequest, RewardState } from '@/rewards';

export type QuizView = LiveView & { live: Extract<ActivityInput, { type: 'quiz' }> };

/** What paying a quiz's pass needs, carried by its marker so the sweep can finish it without the quiz at hand. */
export type QuizTerms = { activityId: string; title: string; reward: Reward | null; budget: RewardRequest['budget'] };
export const termsOf = (view: QuizView): QuizTerms => ({ activityId: view._id, title: view.live.title, reward: view.live.reward ?? null, budget: view.live.budget });
/** What came of a graded attempt's reward, as the reward engine's books say. */
export type PassOutcome = { rewarded: boolean; rewardState: RewardState };

/**
 * The positions of the right options as the customer sees them. Documents name the right options by id (so
 * editing the options cannot move the answer); customers answer by position, which says nothing about the key.
 */
export const rightPositions = (options: readonly { id: string }[], answer: readonly string[]): number[] => options.flatMap((o, i) => (answer.includes(o.id) ? [i] : []));

/** How long a pass or a submission may be in progress before the sweep takes it for one a crash cut short. */
export const QUIZ_STEP_LEASE_MS = 60_000;
