import { checkinApi } from '@shared/contracts/checkin';
import { implement } from '@/platform/http/routes';
import type { CheckinService } from './service';

export function checkinRoutes(service: CheckinService) {
  return [
    implement(checkinApi.checkIn, ({ principal }) => service.checkIn(principal.id)),
    implement(checkinApi.makeUpCheckin, ({ principal, body }) => service.makeUp(principal.id, body.day)),
    implement(checkinApi.getCheckinCalendar, ({ principal, query }) => service.calendar(principal.id, query.month)),
  ];
}
