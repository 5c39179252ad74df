import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import type { Config } from './config';
import { authRoutes, createAuthRepository, createAuthService } from './auth';
import { createCustomerRepository, createCustomerService, customerRoutes } from './customers';
import { createStaffRepository, createStaffService, staffRoutes } from './staff';
import { createOrgRepository } from './org/repository';
import { mountHealth } from './health/routes';
import { systemClock, type Clock } from './platform/clock';
import type { Database } from './platform/db';
import { createTokenService } from './platform/auth/tokens';
import { createIdempotency } from './platform/idempotency';
import { createLogger, type Logger } from './platform/logger';
import { createOutbox } from './platform/outbox';
import { createRateLimiter } from './platform/rate-limit';
import { createMaintenance } from './platform/maintenance';
import { buildOpenApiDocument } from './platform/http/openapi';
import { errorsAndAccessLog, requestId, securityHeaders } from './platform/http/middleware';
import { mountRoutes, type RouteSpec } from './platform/http/routes';
import { createWechatClient, type WechatClient } from './platform/wechat/client';

export const API_PREFIX = '/api/v1';

export type AppDeps = {
  config: Config;
  db: Database;
  clock?: Clock;
  wechat?: WechatClient;
  logger?: Logger;
};

/** Builds every repository and service once, from the app's dependencies. */
export function createServices(deps: AppDeps & { logger: Logger }) {
  const clock = deps.clock ?? systemClock;
  const { config, db } = deps;
  const tokens = createTokenService({ secret: config.jwtSecret, ttlSeconds: config.accessTokenTtlSeconds, clock });
  const wechat = deps.wechat ?? createWechatClient({ ...config.wechat, db, clock });
  const repositories = {
    org: createOrgRepository(db),
    staff: createStaffRepository(db),
    customers: createCustomerRepository(db, clock),
    auth: createAuthRepository(db),
  };
  const platform = {
    outbox: createOutbox(db, clock),
    rateLimiter: createRateLimiter(db, clock),
    idempotency: createIdempotency(db, clock),
  };
  const maintenance = createMaintenance({ clock, logger: deps.logger, ...platform });
  const services = {
    auth: createAuthService({ config, clock, db, tokens, wechat, ...repositories, ...platform }),
    customers: createCustomerService(repositories),
    staff: createStaffService(repositories),
  };
  return { clock, tokens, wechat, repositories, platform, services, maintenance };
}

export type Services = ReturnType<typeof createServices>;

/** Creates collections and indexes; idempotent, run at start-up before serving. */
export async function prepareDatabase(services: Services): Promise<void> {
  for (const repository of Object.values(services.repositories)) await repository.ensureIndexes();
}

/** The Koa app, built from its dependencies; it does not listen. */
export function createApp(deps: AppDeps): Koa & { services: Services } {
  const logger = deps.logger ?? createLogger({ level: deps.config.logLevel });
  const built = createServices({ ...deps, logger });
  const { services, tokens } = built;

  const routes: RouteSpec[] = [...authRoutes(services.auth), ...customerRoutes(services.customers), ...staffRoutes(services.staff)];
  const openApi = buildOpenApiDocument(routes, { title: '银行私域运营 BFF', version: '1.0.0', basePath: API_PREFIX });

  const api = new Router({ prefix: API_PREFIX });
  api.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  mountRoutes(api, routes, tokens);

  const probes = new Router();
  mountHealth(probes, deps.db);

  const app = new Koa({ proxy: deps.config.env === 'production' }) as Koa & { services: Services };
  app.services = built;
  app.silent = true; // errors are logged once, by errorsAndAccessLog
  app.use(requestId());
  app.use(errorsAndAccessLog(logger));
  app.use(securityHeaders());
  app.use(
    cors({
      // Only the bank's own H5 build may call from a browser; the mini-program is not subject to CORS.
      origin: (ctx) => (ctx.get('Origin') === deps.config.h5Origin ? deps.config.h5Origin : ''),
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  );
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: deps.config.bodyLimit, jsonStrict: true }));
  app.use(probes.routes());
  app.use(api.routes());
  return app;
}
