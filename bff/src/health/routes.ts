import type Router from '@koa/router';
import { pingDatabase, type Database } from '../platform/db';
import { AppError } from '../platform/errors';

/** Probes for the load balancer; outside /api/v1 and unauthenticated. */
export function mountHealth(router: Router, db: Database): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (!(await pingDatabase(db))) throw new AppError('SERVICE_UNAVAILABLE', { message: 'database unreachable' });
    ctx.body = { status: 'ready', database: 'up' };
  });
}
