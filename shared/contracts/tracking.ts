import { z } from 'zod';
import { findPersonalData, personalDataLabelsZh } from '../pii';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

/** What the mini-program reports of a customer's behaviour (埋点). */
export const TRACK_EVENT_TYPES = [
  'page_view',
  'share',
  'impression',
  'click',
  'join',
  'checkin',
  'task_complete',
  'quiz_submit',
  'draw',
  'redeem',
  'invite',
  'assist_start',
  'assist_help',
  'service_open',
  'coupon_claim',
  'live_reserve',
  'live_enter',
  'live_watch',
] as const;
export type TrackEventType = (typeof TRACK_EVENT_TYPES)[number];
export const trackEventNamesZh: Record<TrackEventType, string> = {
  page_view: '浏览页面',
  share: '分享',
  impression: '曝光',
  click: '点击',
  join: '参与活动',
  checkin: '签到',
  task_complete: '完成任务',
  quiz_submit: '提交答题',
  draw: '抽奖',
  redeem: '兑换商品',
  invite: '邀请好友',
  assist_start: '发起助力',
  assist_help: '为好友助力',
  service_open: '打开生活服务',
  coupon_claim: '领取优惠券',
  live_reserve: '预约直播',
  live_enter: '进入直播间',
  live_watch: '观看直播',
};

/** The most one batch may carry: more is 413, as is a body over `TRACK_BATCH_MAX_BYTES`. */
export const TRACK_BATCH_MAX_EVENTS = 200;
const TRACK_BATCH_MAX_BYTES = 256 * 1024;

const propValue = z.union([z.string().max(64), z.number(), z.boolean()]);

export const TrackEvent = z
  .object({
    id: z.uuid().describe('Made by the client once per event: a repeat of it is kept once'),
    type: z.enum(TRACK_EVENT_TYPES),
    clientTime: z.iso.datetime({ offset: true }),
    page: z
      .string()
      .regex(/^[a-z0-9/_-]{1,128}$/, '页面路径格式不正确')
      .describe('The page route, without its query'),
    activityId: z.string().min(1).max(64).optional(),
    itemId: z.string().min(1).max(64).optional(),
    props: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), propValue)
      .refine((p) => Object.keys(p).length <= 10, { message: '每个事件最多 10 个属性' })
      .optional()
      .describe('A few facts of the event (a position, a result); never personal data'),
  })
  .strict()
  // Personal data in any field, however written (+86, spaces, dashes, full-width digits, a number
  // rather than text): a mobile, a 15- or 18-digit ID number, a card number passing Luhn.
  .superRefine((event, ctx) => {
    const found = findPersonalData({ page: event.page, activityId: event.activityId, itemId: event.itemId, props: event.props });
    if (found) ctx.addIssue({ code: 'custom', path: found.path.split('.'), message: `事件不得包含个人信息（${personalDataLabelsZh[found.kind]}）` });
  });
export type TrackEvent = z.infer<typeof TrackEvent>;

/**
 * A batch as read and documented: objects, each then checked as a `TrackEvent` on its own, so
 * one bad event is refused by its place while the others are kept. More than
 * `TRACK_BATCH_MAX_EVENTS` is 413, like a body over `TRACK_BATCH_MAX_BYTES`.
 */
const TrackBatch = z
  .object({
    events: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .describe('Events: { id (uuid), type, clientTime (ISO 8601), page, activityId?, itemId?, props? (≤10 short values, no personal data) }; at most 200'),
  })
  .strict();

export const TrackResult = z.object({
  accepted: z.number().int().describe('New events kept'),
  duplicates: z.number().int().describe('Events already kept (the same id sent again)'),
  rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })).describe('Events refused, by their place in the batch'),
});
export type TrackResult = z.infer<typeof TrackResult>;

/** What the mini-program's tracker is told at launch: the share of each event type to keep (1 when not named). */
export const TrackingConfig = z.object({ sampling: z.partialRecord(z.enum(TRACK_EVENT_TYPES), z.number().min(0).max(1)) });
export type TrackingConfig = z.infer<typeof TrackingConfig>;

export const trackingApi = endpoints({
  getTrackingConfig: {
    method: 'get',
    path: '/tracking/config',
    operationId: 'getTrackingConfig',
    summary: '埋点配置：各事件类型的采样比例（未列出的全部上报）',
    tags: ['customer:tracking'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'Sampling per event type', schema: TrackingConfig } },
  },
  trackEvents: {
    method: 'post',
    path: '/events',
    operationId: 'trackEvents',
    summary: '上报行为事件（埋点）：每批最多 200 个、256 KB；逐个校验，错误的单独拒绝，其余保留；同一事件 id 只保留一次',
    tags: ['customer:tracking'],
    access: [Role.CUSTOMER],
    body: TrackBatch,
    maxBodyBytes: TRACK_BATCH_MAX_BYTES,
    responses: { 200: { description: 'What was kept and what was refused', schema: TrackResult }, 413: { description: 'More than 200 events, or over 256 KB' } },
  },
});
