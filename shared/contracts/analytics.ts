import { z } from 'zod';
import { CONVERSION_KINDS } from './conversions';

export const AnalyticsQuery = z.object({
  conversion: z.enum(CONVERSION_KINDS).optional().describe('The conversion the experiment counts; any reported conversion when left out'),
});

const FunnelStep = z.object({
  step: z.enum(['impression', 'click', 'participate', 'reward', 'convert']),
  customers: z.number().int().describe('Distinct customers (shown the activity) who reached this step'),
  dropOff: z.number().nullable().describe('Share of the previous step\'s customers who did not reach this one'),
  medianSecondsFromPrevious: z.number().nullable().describe('Median time from the previous step, over customers who reached both'),
});

export const ActivityAnalytics = z.object({
  activityId: z.string(),
  funnel: z.array(FunnelStep),
  trend: z.array(z.object({ day: z.string(), impression: z.number().int(), click: z.number().int(), participate: z.number().int(), reward: z.number().int(), convert: z.number().int() })),
  experiment: z.object({
    conversion: z.string().describe('any, or one conversion kind'),
    treatment: z.object({ customers: z.number().int(), converted: z.number().int(), rate: z.number() }),
    control: z.object({ customers: z.number().int(), converted: z.number().int(), rate: z.number() }),
    participants: z
      .object({ customers: z.number().int(), converted: z.number().int(), rate: z.number() })
      .describe('Treatment customers who took part: shown for reference, not compared (those who choose to take part differ from the rest)'),
    difference: z.number().describe('Treatment rate minus control rate: everyone aimed at and shown it against everyone aimed at and held back (intention to treat)'),
    ci95: z.object({ low: z.number(), high: z.number() }),
    method: z.literal('newcombe-hybrid-score').describe('Newcombe (1998) method 10: the difference of two Wilson score intervals'),
    relativeLift: z.number().nullable().describe('Treatment rate over control rate, minus one; null without control conversions'),
    significant: z.boolean().describe('The interval excludes zero'),
  }),
  referral: z.object({ kFactor: z.number(), inviters: z.number().int(), qualified: z.number().int() }).nullable(),
  budget: z
    .object({
      maxRewards: z.number().int(),
      maxPoints: z.number().int().nullable(),
      issued: z.number().int().describe('Rewards taken from the budget so far'),
      points: z.number().int().describe('Points among them'),
    })
    .nullable()
    .describe('Budget burn, from the budget’s own books; null for an activity never approved'),
});
export type ActivityAnalytics = z.infer<typeof ActivityAnalytics>;

export const AnalyticsCheck = z.object({
  consistent: z.boolean(),
  steps: z.array(z.object({ step: z.string(), aggregate: z.number().int(), recount: z.number().int() })),
});
