import { Health, Readiness } from '../../../shared/contracts/common';
import { pingDatabase, type Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';

/** Probes for the load balancer; outside /api/v1 and unauthenticated. */
export function healthRoutes(db: Database) {
  const tags = ['probes'];
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness: the process answers',
      tags,
      access: 'public',
      responses: { 200: { description: 'Alive', schema: Health } },
      handler: () => ({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness: the database answers a ping',
      tags,
      access: 'public',
      responses: { 200: { description: 'Ready to serve', schema: Readiness }, 503: { description: 'The database is unreachable' } },
      handler: async () => {
        if (!(await pingDatabase(db))) throw new AppError('SERVICE_UNAVAILABLE', { message: 'database unreachable' });
        return { status: 'ready' as const, database: 'up' as const };
      },
    }),
  ];
}
