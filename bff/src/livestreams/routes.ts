import { z } from 'zod';
import { AdminLivestream, LiveEntry, LiveEntryResult, Livestream, LivestreamInput, LivestreamMarks, LivestreamReminderFigures, ReservationInput } from '../../../shared/contracts/livestreams';
import { Role } from '../../../shared/roles';
import type { AuditLog } from '../platform/audit';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { replaceById } from '../platform/upsert';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import { csvRowToLivestream, type LivestreamAdmin, type LivestreamView } from './catalogue';
import type { Reminders } from './reminders';
import type { Schedule } from './schedule';

export function livestreamRoutes(deps: { admin: LivestreamAdmin; schedule: Schedule; reminders: Reminders; audit: AuditLog; clock: Clock }) {
  const tags = ['customer:livestreams'];
  const access = [Role.CUSTOMER];
  return [
    ...reviewedAdminRoutes({
      service: deps.admin,
      path: '/admin/livestreams',
      tag: 'admin:livestreams',
      noun: { one: 'Livestream', many: 'Livestreams' },
      label: '直播',
      input: LivestreamInput,
      admin: AdminLivestream,
      csvRow: csvRowToLivestream,
      csvNote: 'channel、activityIds、itemIds、reminder 列为 JSON',
      usedBy: ['markLivestream', 'getLivestreamReminderFigures'],
    }),
    defineRoute({
      method: 'post',
      path: '/admin/livestreams/:id/marks',
      operationId: 'markLivestream',
      summary: '直播运营标记：提前结束（留痕）。回放地址属于审核内容：修改直播的 replayUrl，经第二人审批后生效',
      tags: ['admin:livestreams'],
      access: [Role.ADMIN],
      params: IdParams,
      body: LivestreamMarks,
      responses: { 200: { description: 'The marks now', schema: LivestreamMarks } },
      handler: async ({ principal, params, body }) => {
        await deps.admin.get(principal!, params.id);
        const next = { endedEarly: body.endedEarly };
        await replaceById(deps.schedule.marks(), params.id, { ...next, at: deps.clock.now(), by: principal!.id });
        await deps.audit.record(principal!, { action: 'livestream.marked', targetType: 'livestream', targetId: params.id, detail: next });
        return next;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/livestreams/:id/reminders',
      operationId: 'getLivestreamReminderFigures',
      summary: '直播提醒账目：预约、已订阅、已发送、微信拒绝、结果未知、处理中、错过；已认领超过租期仍未发送、开播前未提醒的列为违规',
      tags: ['admin:livestreams'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'The reminder books', schema: LivestreamReminderFigures } },
      handler: async ({ principal, params }) => {
        const view = (await deps.admin.visible(principal!, params.id)) as LivestreamView;
        if (!view.live) throw new AppError('NOT_FOUND', { message: '直播尚未发布' });
        return deps.reminders.figures(view);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/livestreams',
      operationId: 'browseLivestreams',
      summary: '直播：直播中、预告、回放',
      tags,
      access,
      responses: { 200: { description: 'Live first, then upcoming by start, then replays', schema: z.object({ items: z.array(Livestream) }) } },
      handler: async ({ principal }) => ({ items: await deps.schedule.list(principal!.id) }),
    }),
    defineRoute({
      method: 'get',
      path: '/livestreams/:id',
      operationId: 'viewLivestream',
      summary: '直播详情：预约状态、关联活动与商品',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'The livestream', schema: Livestream } },
      handler: ({ principal, params }) => deps.schedule.detail(principal!.id, params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/livestreams/:id/reservation',
      operationId: 'reserveLivestream',
      summary: '预约直播（开播前提醒一次，须已同意订阅消息）',
      tags,
      access,
      params: IdParams,
      body: ReservationInput,
      responses: { 200: { description: 'Reserved', schema: Livestream }, 409: { description: 'Already started or ended' } },
      handler: ({ principal, params, body }) => deps.schedule.reserve(principal!.id, params.id, body.subscribed),
    }),
    defineRoute({
      method: 'delete',
      path: '/livestreams/:id/reservation',
      operationId: 'cancelLivestreamReservation',
      summary: '取消预约（不再提醒）',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'Cancelled', schema: Livestream } },
      handler: ({ principal, params }) => deps.schedule.cancel(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/livestreams/:id/entries',
      operationId: 'enterLivestream',
      summary: '进入直播或回放：完成「观看直播」任务',
      tags,
      access,
      params: IdParams,
      body: LiveEntry,
      responses: { 200: { description: 'Entered', schema: LiveEntryResult }, 409: { description: 'Not live and no replay' } },
      handler: ({ principal, params }) => deps.schedule.enter(principal!.id, params.id),
    }),
  ];
}
