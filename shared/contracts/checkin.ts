import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

export const CheckinResult = z
  .object({
    day: z.string().describe('YYYY-MM-DD in Asia/Shanghai'),
    streak: z.number().int().describe('Consecutive days including today'),
    points: z.number().int(),
    duplicate: z.boolean().describe('Already checked in today: nothing new was paid'),
    drawChances: z
      .array(z.object({ activityId: z.string(), title: z.string(), chances: z.number().int() }))
      .describe('Lucky-draw chances this check-in earned (a streak milestone of a live draw), once each'),
  })
  .meta({ id: 'CheckinResult' });
export type CheckinResult = z.infer<typeof CheckinResult>;

const CheckinMonthQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional(),
});

export const CheckinCalendar = z
  .object({
    month: z.string(),
    today: z.string(),
    checkedInToday: z.boolean(),
    streak: z.number().int().describe('The current streak: 0 if yesterday was missed and today not yet checked in'),
    days: z.array(z.object({ day: z.string(), points: z.number().int(), makeup: z.boolean() })).describe('Check-ins of this month'),
    makeupsLeft: z.number().int().describe('Make-up check-ins (补签) still allowed for this month: 0 for a month whose days can no longer be made up'),
    earliestMonth: z.string().describe('The earliest month the calendar keeps and whose missed days may still be made up (the previous one)'),
    firstDay: z.string().nullable().describe('The bank day the customer joined (YYYY-MM-DD): days before it were neither missed nor can be made up; null if unknown'),
    makeupPrice: z.number().int().describe('Points a make-up check-in costs'),
    schedule: z.array(z.number().int()).describe('Points for day 1, 2, … of a streak; the cycle repeats'),
    nextPoints: z.number().int().describe('What checking in today (or tomorrow, if done) pays'),
  })
  .meta({ id: 'CheckinCalendar' });
export type CheckinCalendar = z.infer<typeof CheckinCalendar>;

const MakeupRequest = z.object({ day: z.iso.date().describe('A missed day earlier this month or in the previous one, YYYY-MM-DD') });

export const checkinApi = endpoints({
  checkIn: {
    method: 'post',
    path: '/me/checkins',
    operationId: 'checkIn',
    summary: '今日签到（每个自然日一次，按北京时间）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'Checked in (or already checked in today)', schema: CheckinResult } },
  },
  makeUpCheckin: {
    method: 'post',
    path: '/me/checkins/makeup',
    operationId: 'makeUpCheckin',
    summary: '补签本月漏签的一天（每月限次，消耗积分，不另得签到积分）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    body: MakeupRequest,
    responses: { 200: { description: 'Made up', schema: CheckinResult } },
  },
  getCheckinCalendar: {
    method: 'get',
    path: '/me/checkins',
    operationId: 'getCheckinCalendar',
    summary: '签到日历：本月签到记录、连续天数与奖励规则',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    query: CheckinMonthQuery,
    responses: { 200: { description: 'The month', schema: CheckinCalendar } },
  },
});
