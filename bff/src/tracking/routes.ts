import { TRACK_BATCH_MAX_BYTES, TrackBatch, TrackingConfig, TrackResult } from '../../../shared/contracts/tracking';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { Ingest } from './ingest';

export function trackingRoutes(ingest: Ingest, config: TrackingConfig) {
  return [
    defineRoute({
      method: 'get',
      path: '/tracking/config',
      operationId: 'getTrackingConfig',
      summary: '埋点配置：各事件类型的采样比例（未列出的全部上报）',
      tags: ['customer:tracking'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Sampling per event type', schema: TrackingConfig } },
      handler: () => config,
    }),
    defineRoute({
      method: 'post',
      path: '/events',
      operationId: 'trackEvents',
      summary: '上报行为事件（埋点）：每批最多 200 个、256 KB；逐个校验，错误的单独拒绝，其余保留；同一事件 id 只保留一次',
      tags: ['customer:tracking'],
      access: [Role.CUSTOMER],
      body: TrackBatch,
      maxBodyBytes: TRACK_BATCH_MAX_BYTES,
      responses: { 200: { description: 'What was kept and what was refused', schema: TrackResult }, 413: { description: 'More than 200 events, or over 256 KB' } },
      handler: ({ principal, body }) => ingest.ingest(principal!.id, body.events),
    }),
  ];
}
