import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import type { Config } from './config';
import { authRoutes, createAuthRepository, createAuthService } from './auth';
import { createCustomerRepository, createCustomerService, customerRoutes } from './customers';
import { createStaffRepository, createStaffService, staffRoutes } from './staff';
import { createOrgRepository } from './org/repository';
import { createScope } from './org/scope';
import { healthRoutes } from './health/routes';
import { activityAdminRoutes, activityCustomerRoutes } from './activities/routes';
import { createActivityRepository } from './activities/repository';
import { createActivityAdminService } from './activities/admin-service';
import { createActivityCustomerService } from './activities/customer-service';
import { createTargetingRepository } from './targeting/repository';
import { createTargetingService } from './targeting/service';
import { targetingRoutes } from './targeting/routes';
import { createPointsLedger, expiryRule } from './points/ledger';
import { createPointsService } from './points/service';
import { pointsRoutes } from './points/routes';
import { createRewardEngine } from './rewards/engine';
import { createCheckinService } from './checkin/service';
import { createEligibility } from './activities/eligibility';
import { createTaskService } from './tasks/service';
import { taskRoutes } from './tasks/routes';
import { checkinRoutes } from './checkin/routes';
import { createConversionService } from './conversions/service';
import { createQuizService } from './quiz/service';
import { createInviteService } from './invites/service';
import { inviteRoutes } from './invites/routes';
import { quizRoutes } from './quiz/routes';
import { conversionRoutes } from './conversions/routes';
import { createCatalogueAdmin, createCatalogueRepository } from './mall/catalogue';
import { createStock } from './mall/stock';
import { createCodePools } from './mall/codes';
import { createLimitSlots } from './mall/limits';
import { createOrderStore } from './mall/orders';
import { createAddressBook } from './mall/addresses';
import { createProviderClient, type FulfilmentProvider } from './mall/provider';
import { createRedemption } from './mall/redemption';
import { createMallService } from './mall/service';
import { mallCustomerRoutes } from './mall/routes';
import { mallAdminRoutes } from './mall/admin-routes';
import { createMallAdminService } from './mall/admin-service';
import { noFaults, type Faults } from './platform/faults';
import { createAuditLog } from './platform/audit';
import { auditRoutes } from './platform/audit-routes';
import { systemClock, type Clock } from './platform/clock';
import type { Database } from './platform/db';
import { createTokenService } from './platform/auth/tokens';
import { createBankSignatureVerifier } from './platform/auth/bank-signature';
import { createLogger, type Logger } from './platform/logger';
import { createOutbox } from './platform/outbox';
import { createRateLimiter } from './platform/rate-limit';
import { createMaintenance } from './platform/maintenance';
import { buildOpenApiDocument } from './platform/http/openapi';
import { allowedMethods } from './platform/http/allowed-methods';
import { errorsAndAccessLog, requestId, securityHeaders } from './platform/http/middleware';
import { defineRoute, mountRoutes, type RouteSpec } from './platform/http/routes';
import { createWechatClient, type WechatClient } from './platform/wechat/client';

export const API_PREFIX = '/api/v1';

export type AppDeps = {
  config: Config;
  db: Database;
  clock?: Clock;
  wechat?: WechatClient;
  provider?: FulfilmentProvider;
  logger?: Logger;
  /** Test-only failure points (see platform/faults). */
  faults?: Faults;
};

/** Builds every repository and service once, from the app's dependencies. */
export function createServices(deps: AppDeps & { logger: Logger }) {
  const clock = deps.clock ?? systemClock;
  const faults = deps.faults ?? noFaults;
  const { config, db } = deps;
  const tokens = createTokenService({ secret: config.jwtSecret, ttlSeconds: config.accessTokenTtlSeconds, clock });
  const wechat = deps.wechat ?? createWechatClient({ ...config.wechat, db, clock });
  const repositories = {
    org: createOrgRepository(db),
    staff: createStaffRepository(db),
    customers: createCustomerRepository(db, clock, { piiKey: config.piiHashSecret }),
    auth: createAuthRepository(db),
    activities: createActivityRepository(db, clock, faults),
    targeting: createTargetingRepository(db, clock),
    points: createPointsLedger(db, clock, { expiryFor: expiryRule(config.pointsExpiry) }),
    catalogue: createCatalogueRepository(db, clock, faults),
    stock: createStock(db, clock),
    codes: createCodePools(db, clock),
    orders: createOrderStore(db, clock),
  };
  const platform = {
    outbox: createOutbox(db, clock),
    rateLimiter: createRateLimiter(db, clock),
    audit: createAuditLog(db, clock),
    bankSignature: createBankSignatureVerifier({ secret: config.bankSystemsSecret, clock, db }),
  };
  const scope = createScope(repositories.org);
  const rewards = createRewardEngine({ db, clock, points: repositories.points, outbox: platform.outbox });
  const targeting = createTargetingService({ config, clock, targeting: repositories.targeting, customers: repositories.customers, audit: platform.audit, scope });
  // Maker-checker across accounts: nobody checks the work of whoever gave them their access.
  const independent = repositories.staff.requireIndependent;
  const points = createPointsService({ db, clock, ledger: repositories.points, rewards, customers: repositories.customers, scope, outbox: platform.outbox, audit: platform.audit, faults, independent });
  const eligibleLive = createEligibility({ clock, activities: repositories.activities, customers: repositories.customers, targeting });
  const tasks = createTaskService({ clock, eligibleLive, rewards });
  const limits = createLimitSlots(db);
  const redemption = createRedemption({
    clock,
    orders: repositories.orders,
    stock: repositories.stock,
    codes: repositories.codes,
    limits,
    points: repositories.points,
    provider: deps.provider ?? createProviderClient({ baseUrl: config.mall.providerUrl, apiKey: config.mall.providerKey, timeoutMs: config.mall.providerTimeoutMs }),
    outbox: platform.outbox,
    leaseMs: config.mall.orderLeaseMs,
    faults,
  });
  const mall = createMallService({
    clock,
    catalogue: repositories.catalogue,
    stock: repositories.stock,
    codes: repositories.codes,
    limits,
    orders: repositories.orders,
    redemption,
    points: repositories.points,
    addresses: createAddressBook(db),
    customers: repositories.customers,
    org: repositories.org,
    tierOf: async (customerId) => (await repositories.targeting.findTags(customerId))?.tier ?? null,
  });
  const mallAdmin = createMallAdminService({
    db,
    clock,
    catalogue: repositories.catalogue,
    stock: repositories.stock,
    codes: repositories.codes,
    orders: repositories.orders,
    redemption,
    points: repositories.points,
    scope,
    audit: platform.audit,
    outbox: platform.outbox,
    faults,
    independent,
  });
  const catalogueAdmin = createCatalogueAdmin({ clock, scope, outbox: platform.outbox, audit: platform.audit, faults, independent, catalogue: repositories.catalogue, stock: repositories.stock, bannedWords: config.bannedWords });
  const activities = createActivityCustomerService({ clock, activities: repositories.activities, targeting, rewards, eligibleLive, onViewed: (customerId) => tasks.completed(customerId, 'view').then(() => undefined) });
  const checkin = createCheckinService({ db, clock, points: repositories.points, schedule: config.checkinSchedule, makeup: config.checkinMakeup, faults });
  const services = {
    auth: createAuthService({ config, clock, db, tokens, wechat, ...repositories, ...platform }),
    customers: createCustomerService({
      customers: repositories.customers,
      wechat,
      outbox: platform.outbox,
      rateLimiter: platform.rateLimiter,
      phoneBindsPerHour: config.rateLimits.phoneBindsPerHour,
      onPhoneBound: (customerId) => tasks.completed(customerId, 'bind_phone').then(() => undefined),
    }),
    staff: createStaffService({ db, staff: repositories.staff, org: repositories.org, scope, audit: platform.audit, clock, faults }),
    activitiesAdmin: createActivityAdminService({ config, clock, activities: repositories.activities, scope, outbox: platform.outbox, audit: platform.audit, faults, independent }),
    activities,
    invites: createInviteService({ db, clock, customers: repositories.customers, tasks, outbox: platform.outbox, acceptWithinMs: 24 * 60 * 60 * 1000 }),
    quiz: createQuizService({
      db,
      clock,
      activities,
      rewards,
      tasks,
      attemptsPerDay: config.quizAttemptsPerDay,
      rateLimiter: platform.rateLimiter,
      answersPerMinute: config.rateLimits.quizAnswersPerMinute,
    }),
    tasks,
    targeting,
    points,
    rewards,
    checkin,
    mall,
    mallAdmin,
    catalogueAdmin,
    redemption,
    conversions: createConversionService({ db, clock, customers: repositories.customers, appid: config.wechat.appid, tasks }),
  };
  const HOUR_MS = 60 * 60 * 1000;
  const maintenance = createMaintenance({
    logger: deps.logger,
    jobs: {
      // Points past their expiry: one expire entry per lot, whichever process gets there first.
      expiredLots: () => points.expireDue(),
      // Rewards taken from a budget in the last day are fulfilled again (a no-op unless a crash cut one short).
      rewardsRechecked: () => rewards.recover(new Date(clock.now().getTime() - 24 * HOUR_MS)),
      rateLimitHits: () => platform.rateLimiter.purgeOlderThan(new Date(clock.now().getTime() - HOUR_MS)),
      // A bank request's nonce is kept only while its timestamp could still be accepted.
      bankNonces: () => platform.bankSignature.purgeNonces(),
    },
    sweeps: {
      // Mall orders left mid-way past their lease (a crash, a partner that never answered): completed or reversed.
      mallOrders: () => redemption.recover(),
      // Two-person decisions taken but not carried out (the process died in between).
      pointsAdjustments: () => points.recoverAdjustments(),
      stockAdjustments: () => mallAdmin.recoverStockAdjustments(),
      staffGrants: () => services.staff.recoverGrants(),
      // Lifecycle steps of reviewed documents cut short after their entry (view, first stock, events).
      activitySteps: () => services.activitiesAdmin.recover(),
      catalogueSteps: () => catalogueAdmin.recover(),
    },
  });
  return { clock, tokens, wechat, repositories, platform, scope, services, maintenance };
}

export type Services = ReturnType<typeof createServices>;

/** Creates collections and indexes; idempotent, run at start-up before serving. */
export async function prepareDatabase(services: Services): Promise<void> {
  for (const repository of Object.values(services.repositories)) await repository.ensureIndexes();
  await services.platform.audit.ensureIndexes();
  await services.platform.rateLimiter.ensureIndexes();
  await services.services.rewards.ensureIndexes();
  await services.services.checkin.ensureIndexes();
  await services.services.invites.ensureIndexes();
}

/** The Koa app, built from its dependencies; it does not listen. */
export function createApp(deps: AppDeps): Koa & { services: Services } {
  const logger = deps.logger ?? createLogger({ level: deps.config.logLevel });
  const built = createServices({ ...deps, logger });
  const { services, tokens } = built;

  const routes: RouteSpec[] = [
    ...authRoutes(services.auth),
    ...customerRoutes(services.customers),
    ...staffRoutes(services.staff),
    ...activityAdminRoutes(services.activitiesAdmin),
    ...activityCustomerRoutes(services.activities),
    ...targetingRoutes(services.targeting),
    ...pointsRoutes(services.points),
    ...checkinRoutes(services.checkin),
    ...taskRoutes(services.tasks),
    ...mallCustomerRoutes(services.mall),
    ...mallAdminRoutes(services.mallAdmin, services.catalogueAdmin),
    ...quizRoutes(services.quiz),
    ...inviteRoutes(services.invites),
    ...conversionRoutes(services.conversions, built.platform.bankSignature),
    ...auditRoutes(built.platform.audit, built.scope),
  ];
  routes.push(
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      tags: ['meta'],
      access: 'public',
      responses: { 200: { description: 'The OpenAPI 3.1 document' } },
      // Built just below, from this list, before any request can arrive.
      handler: () => openApi,
    }),
  );
  const probeRoutes = healthRoutes(deps.db);
  const groups = [
    { basePath: '', routes: probeRoutes },
    { basePath: API_PREFIX, routes },
  ];
  const openApi = buildOpenApiDocument(groups, { title: '银行私域运营 BFF', version: '1.0.0' });

  const mountOptions = {
    tokens,
    currentStaff: (id: string) => built.repositories.staff.findById(id),
    bodyParser: bodyParser({ enableTypes: ['json', 'text'], extendTypes: { text: ['text/csv'] }, jsonLimit: deps.config.bodyLimit, textLimit: deps.config.bodyLimit, jsonStrict: true }),
    bodyLimitBytes: deps.config.bodyLimitBytes,
  };
  const api = new Router({ prefix: API_PREFIX });
  mountRoutes(api, routes, mountOptions);
  const probes = new Router();
  mountRoutes(probes, probeRoutes, mountOptions);

  // X-Forwarded-For is believed only as far as the configured proxies wrote it: its last N entries.
  const trusted = deps.config.trustedProxies;
  const app = new Koa({ proxy: trusted > 0, maxIpsCount: trusted }) as Koa & { services: Services };
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
  app.use(allowedMethods(groups));
  app.use(probes.routes());
  app.use(api.routes());
  return app;
}
