import { CheckinCalendar, CheckinMonthQuery, CheckinResult, MakeupRequest } from '../../../shared/contracts/checkin';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { CheckinService } from './service';

export function checkinRoutes(service: CheckinService) {
  return [
    defineRoute({
      method: 'post',
      path: '/me/checkins',
      operationId: 'checkIn',
      summary: '今日签到（每个自然日一次，按北京时间）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Checked in (or already checked in today)', schema: CheckinResult } },
      handler: ({ principal }) => service.checkIn(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/checkins/makeup',
      operationId: 'makeUpCheckin',
      summary: '补签本月漏签的一天（每月限次，消耗积分，不另得签到积分）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      body: MakeupRequest,
      responses: { 200: { description: 'Made up', schema: CheckinResult } },
      handler: ({ principal, body }) => service.makeUp(principal!.id, body.day),
    }),
    defineRoute({
      method: 'get',
      path: '/me/checkins',
      operationId: 'getCheckinCalendar',
      summary: '签到日历：本月签到记录、连续天数与奖励规则',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      query: CheckinMonthQuery,
      responses: { 200: { description: 'The month', schema: CheckinCalendar } },
      handler: ({ principal, query }) => service.calendar(principal!.id, query.month),
    }),
  ];
}
