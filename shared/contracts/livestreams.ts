import { z } from 'zod';
import { statedRules, trimmedText } from './common';
import { LIVESTREAM_STATES } from '../life-rules';
import { WebviewUrl } from './life';
import { ImageRef } from './media';
import { adminDocument } from './review';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams } from './common';

const isoDateTime = z.iso.datetime({ offset: true });

const LivestreamChannel = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('channels'),
      finderUserName: z.string().regex(/^sph[A-Za-z0-9_-]{3,40}$/, '视频号 ID 以 sph 开头'),
      feedId: z.string().min(1).max(128).optional().describe('The live feed, once it exists: openChannelsLive'),
      noticeId: z.string().min(1).max(128).optional().describe('The live notice (直播预告): reserveChannelsLive'),
    })
    .strict(),
  z.object({ kind: z.literal('plugin'), roomId: z.number().int().min(1).describe('A room of the live-player plugin') }).strict(),
]);

export const channelKindNamesZh: Record<z.infer<typeof LivestreamChannel>['kind'], string> = { channels: '视频号直播', plugin: '小程序直播插件' };

/** A livestream on the bank's schedule (私域直播), reviewed like an activity. */
export const LivestreamInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('livestream'),
    orgUnitId: z.string().min(1).max(64),
    title: trimmedText(2).max(40),
    host: trimmedText(1).max(20),
    description: trimmedText(1).max(300),
    cover: ImageRef.optional(),
    startAt: isoDateTime,
    endAt: isoDateTime,
    channel: LivestreamChannel,
    activityIds: z.array(z.string().min(1).max(64)).max(5).default([]),
    itemIds: z.array(z.string().min(1).max(64)).max(10).default([]),
    reminder: z.object({ templateId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), leadMinutes: z.number().int().min(1).max(60).default(5) }).strict(),
    replayUrl: WebviewUrl.optional().describe(
      'The replay, opened in web-view after the end: set by an edit a second person approves, on the allowlist at upload, edit, submission, approval and every read',
    ),
  })
  .strict()
  .refine((l) => Date.parse(l.endAt) > Date.parse(l.startAt), { message: '结束时间必须晚于开始时间', path: ['endAt'] })
  .describe(statedRules('endAt after startAt; every one of activityIds is a live activity; replayUrl’s domain is on the bank’s allowlist.'));
export type LivestreamInput = z.infer<typeof LivestreamInput>;
const AdminLivestream = adminDocument(['livestream'], 'AdminLivestream');

/** What operations staff mark as it happens: ended early. (A replay is reviewed content: `replayUrl` of the livestream.) */
export const LivestreamMarks = z.object({ endedEarly: z.boolean() }).strict();

export const Livestream = z.object({
  id: z.string(),
  title: z.string(),
  host: z.string(),
  description: z.string(),
  cover: z.string().nullable(),
  startAt: z.string(),
  endAt: z.string(),
  state: z.enum(LIVESTREAM_STATES),
  channel: LivestreamChannel,
  replayUrl: z.string().nullable().describe('The approved replay, while its domain is on the allowlist, normalised'),
  reserved: z.boolean().describe('Reserved here or by joining one of its linked 直播 activities: one reservation per show'),
  reminded: z.boolean().describe('The reservation has the reminder template accepted, so one reminder goes before the start'),
  reminderTemplateId: z.string().describe('The subscribe-message template the app asks the customer to accept before reserving'),
  activities: z.array(z.object({ id: z.string(), title: z.string() })),
  items: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type Livestream = z.infer<typeof Livestream>;

const ReservationInput = z.object({ subscribed: z.boolean().describe('Whether the customer accepted the reminder template in requestSubscribeMessage') }).strict();
/** Nothing to say on entering: watch time comes back as behaviour events (`live_watch`). */
const LiveEntry = z.object({}).strict();
const LiveEntryResult = z.object({ state: z.enum(LIVESTREAM_STATES), taskPaid: z.boolean() });

/**
 * One livestream's reminders, as its books: each standing, subscribed reservation is reminded
 * once before the start. A claim past its lease that was never sent, or a reservation the start
 * passed unreminded, is a violation.
 */
export const LivestreamReminderFigures = z.object({
  livestreamId: z.string(),
  reservations: z.number().int().describe('Standing reservations'),
  subscribed: z.number().int().describe('Of them, with the reminder template accepted'),
  sent: z.number().int(),
  refused: z.number().int().describe('WeChat refused (no subscription left, or still busy after the last try): recorded, not tried again'),
  unknown: z.number().int().describe('Sent, but the answer was lost: not repeated (WeChat has no idempotency key)'),
  inFlight: z.number().int().describe('Claimed and being sent, or waiting for a later try'),
  missed: z.number().int().describe('Subscribed, may be contacted, and the start passed with no reminder'),
  violations: z.array(z.string()),
});

export const livestreamReview = reviewedOperations({
  path: '/admin/livestreams',
  tag: 'admin:livestreams',
  noun: { one: 'Livestream', many: 'Livestreams' },
  label: '直播',
  input: LivestreamInput,
  admin: AdminLivestream,
  csvNote: 'channel、activityIds、itemIds、reminder 列为 JSON',
  usedBy: ['markLivestream', 'getLivestreamReminderFigures'],
});

export const livestreamsApi = {
  ...byOperationId(livestreamReview),
  ...endpoints({
    markLivestream: {
      method: 'post',
      path: '/admin/livestreams/:id/marks',
      operationId: 'markLivestream',
      summary: '直播运营标记：提前结束（留痕）。回放地址属于审核内容：修改直播的 replayUrl，经第二人审批后生效',
      tags: ['admin:livestreams'],
      access: [Role.ADMIN],
      params: IdParams,
      body: LivestreamMarks,
      responses: { 200: { description: 'The marks now', schema: LivestreamMarks } },
    },
    getLivestreamReminderFigures: {
      method: 'get',
      path: '/admin/livestreams/:id/reminders',
      operationId: 'getLivestreamReminderFigures',
      summary: '直播提醒账目：预约、已订阅、已发送、微信拒绝、结果未知、处理中、错过；已认领超过租期仍未发送、开播前未提醒的列为违规',
      tags: ['admin:livestreams'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'The reminder books', schema: LivestreamReminderFigures } },
    },
    browseLivestreams: {
      method: 'get',
      path: '/livestreams',
      operationId: 'browseLivestreams',
      summary: '直播：直播中、预告、回放',
      tags: ['customer:livestreams'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Live first, then upcoming by start, then replays', schema: z.object({ items: z.array(Livestream) }) } },
    },
    viewLivestream: {
      method: 'get',
      path: '/livestreams/:id',
      operationId: 'viewLivestream',
      summary: '直播详情：预约状态、关联活动与商品',
      tags: ['customer:livestreams'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The livestream', schema: Livestream } },
    },
    reserveLivestream: {
      method: 'put',
      path: '/livestreams/:id/reservation',
      operationId: 'reserveLivestream',
      summary: '预约直播（开播前提醒一次，须已同意订阅消息）',
      tags: ['customer:livestreams'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: ReservationInput,
      responses: { 200: { description: 'Reserved', schema: Livestream }, 409: { description: 'Already started or ended' } },
    },
    cancelLivestreamReservation: {
      method: 'delete',
      path: '/livestreams/:id/reservation',
      operationId: 'cancelLivestreamReservation',
      summary: '取消预约（不再提醒）',
      tags: ['customer:livestreams'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'Cancelled', schema: Livestream } },
    },
    enterLivestream: {
      method: 'post',
      path: '/livestreams/:id/entries',
      operationId: 'enterLivestream',
      summary: '进入直播或回放：完成「观看直播」任务',
      tags: ['customer:livestreams'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: LiveEntry,
      responses: { 200: { description: 'Entered', schema: LiveEntryResult }, 409: { description: 'Not live and no replay' } },
    },
  }),
};
