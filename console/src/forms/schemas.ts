import { z } from 'zod';
import zodZhCN from 'zod/v4/locales/zh-CN.js';
import { ActivityInput } from '@shared/contracts/activities';
import { LibraryContentInput } from '@shared/contracts/content-library';
import { CobrandCouponInput } from '@shared/contracts/coupons';
import { LeadRuleInput } from '@shared/contracts/leads';
import { LifeServiceInput } from '@shared/contracts/life';
import { LivestreamInput } from '@shared/contracts/livestreams';
import { RmTaskInput } from '@shared/contracts/marketing-tasks';
import { CatalogueEntryInput } from '@shared/contracts/mall';
import { ProgrammeTargetInput } from '@shared/contracts/programme';
import { QuestionInput } from '@shared/contracts/quiz-bank';
import { TriggerInput } from '@shared/contracts/triggers';
import { chineseIssueMessage } from '@shared/zod-messages';

// The shared schemas' messages as the BFF gives them (shared/zod-messages.ts), for the forms that validate with them.
z.config({ ...zodZhCN(), customError: chineseIssueMessage });

/** Each reviewed kind's input schema (kinds.ts keys): the one the BFF validates with. */
export const SCHEMAS: Record<string, z.ZodType> = {
  activities: ActivityInput,
  mall: CatalogueEntryInput,
  questions: QuestionInput,
  services: LifeServiceInput,
  livestreams: LivestreamInput,
  triggers: TriggerInput,
  coupons: CobrandCouponInput,
  'rm-tasks': RmTaskInput,
  library: LibraryContentInput,
  'lead-rules': LeadRuleInput,
  targets: ProgrammeTargetInput,
};
