import { livestreamReview, livestreamsApi } from '@shared/contracts/livestreams';
import type { AuditLog } from '@/platform/audit';
import { implement } from '@/platform/http/routes';
import { replaceById } from '@/platform/upsert';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { csvRowToLivestream, type LivestreamAdmin, type LivestreamView } from './catalogue';
import type { Reminders } from './reminders';
import type { Schedule } from './schedule';

export function livestreamRoutes(deps: { admin: LivestreamAdmin; schedule: Schedule; reminders: Reminders; audit: AuditLog; clock: Clock }) {
  return [
    ...reviewedAdminRoutes({ operations: livestreamReview, service: deps.admin, csvRow: csvRowToLivestream }),
    implement(livestreamsApi.markLivestream, async ({ principal, params, body }) => {
      await deps.admin.get(principal, params.id);
      const next = { endedEarly: body.endedEarly };
      await replaceById(deps.schedule.marks(), params.id, { ...next, at: deps.clock.now(), by: principal.id });
      await deps.audit.record(principal, { action: 'livestream.marked', targetType: 'livestream', targetId: params.id, detail: next });
      return next;
    }),
    implement(livestreamsApi.getLivestreamReminderFigures, async ({ principal, params }) => {
      const view = (await deps.admin.visible(principal, params.id)) as LivestreamView;
      if (!view.live) throw new AppError('NOT_FOUND', { message: '直播尚未发布' });
      return deps.reminders.figures(view);
    }),
    implement(livestreamsApi.browseLivestreams, async ({ principal }) => ({ items: await deps.schedule.list(principal.id) })),
    implement(livestreamsApi.viewLivestream, ({ principal, params }) => deps.schedule.detail(principal.id, params.id)),
    implement(livestreamsApi.reserveLivestream, ({ principal, params, body }) => deps.schedule.reserve(principal.id, params.id, body.subscribed)),
    implement(livestreamsApi.cancelLivestreamReservation, ({ principal, params }) => deps.schedule.cancel(principal.id, params.id)),
    implement(livestreamsApi.enterLivestream, ({ principal, params }) => deps.schedule.enter(principal.id, params.id)),
  ];
}
