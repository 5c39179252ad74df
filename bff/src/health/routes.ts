import { probesApi } from '@shared/contracts/common';
import { pingDatabase, type Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';

/** Probes for the load balancer; outside /api/v1 and unauthenticated. */
export function healthRoutes(db: Database) {
  return [
    implement(probesApi.getHealth, () => ({ status: 'ok' as const })),
    implement(probesApi.getReadiness, async () => {
      if (!(await pingDatabase(db))) throw new AppError('SERVICE_UNAVAILABLE', { message: 'database unreachable' });
      return { status: 'ready' as const, database: 'up' as const };
    }),
  ];
}
