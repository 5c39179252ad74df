import './platform/zod-locale';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import type { Config } from './config';
import type { AppContext } from './context';
import { activitiesModule } from './activities';
import { auditModule } from './audit';
import { jobsModule } from './jobs';
import { authModule } from './auth';
import { checkinModule } from './checkin';
import { conversionEventsBetween, conversionsModule } from './conversions';
import { drawsModule } from './draws';
import { createCustomerRepository, customersModule } from './customers';
import { healthRoutes } from './health';
import { mallModule, type FulfilmentProvider } from './mall';
import { mediaModule } from './media';
import { createOrgRepository, orgModule } from './org';
import { createPointsLedger, expiryRule, pointsModule } from './points';
import { quizModule } from './quiz';
import { rewardsModule } from './rewards';
import { createStaffRepository, staffModule } from './staff';
import { targetingModule } from './targeting';
import { tasksModule } from './tasks';
import { privacyModule } from './privacy';
import { referralsModule } from './referrals';
import { behaviourBetween, trackingModule } from './tracking';
import { analyticsModule } from './analytics';
import { customerServiceModule } from './customer-service';
import { triggersModule } from './triggers';
import { leadsModule } from './leads';
import { lifeModule } from './life';
import { couponsModule } from './coupons';
import { livestreamsModule } from './livestreams';
import { marketingTasksModule } from './marketing-tasks';
import { contentLibraryModule } from './content-library';
import { programmeModule } from './programme';
import { createAuditLog } from './platform/audit';
import { createBankSignatureVerifier } from './platform/auth/bank-signature';
import { createScope } from './platform/auth/scope';
import { createTokenService } from './platform/auth/tokens';
import { systemClock, type Clock } from './platform/clock';
import type { Database } from './platform/db';
import { noFaults, type Faults } from './platform/faults';
import { allowedMethods } from './platform/http/allowed-methods';
import { errorsAndAccessLog, requestId, securityHeaders } from './platform/http/middleware';
import { buildOpenApiDocument } from './platform/http/openapi';
import { implement, mountRoutes, servesExactly } from './platform/http/routes';
import { API } from '@shared/api/all';
import { metaApi } from '@shared/contracts/common';
import { createLogger, type Logger } from './platform/logger';
import { createMaintenance } from './platform/maintenance';
import { createJobBooks } from './platform/job-books';
import type { CapabilityModule } from './platform/module';
import { createOutbox, outboxEventsNamed, outboxSource } from './platform/outbox';
import { createEventFeed } from './platform/event-feed';
import { deliveryModule } from './delivery';
import { createRateLimiter } from './platform/rate-limit';
import { createWechatClient, type WechatClient } from './platform/wechat/client';

export const API_PREFIX = '/api/v1';

type AppDeps = {
  config: Config;
  db: Database;
  clock?: Clock;
  wechat?: WechatClient;
  provider?: FulfilmentProvider;
  logger?: Logger;
  /** Test-only failure points (see platform/faults). */
  faults?: Faults;
};

/**
 * The repositories behind the context's directories (platform/directory), each owned by one
 * capability: its module gets the whole repository, every other module the directory.
 */
function createRecords(deps: AppDeps, clock: Clock) {
  const { config, db } = deps;
  return {
    org: createOrgRepository(db),
    staff: createStaffRepository(db),
    customers: createCustomerRepository(db, clock, { piiKey: config.piiHashSecret }),
    points: createPointsLedger(db, clock, { expiryFor: expiryRule(config.pointsExpiry) }),
  };
}
type Records = ReturnType<typeof createRecords>;

/** The platform and the directories many capabilities read, built once from the app's dependencies. */
function createContext(deps: AppDeps & { logger: Logger }, clock: Clock, records: Records): AppContext {
  const { config, db } = deps;
  const { org, staff, customers, points } = records;
  const faults = deps.faults ?? noFaults;
  const events = createEventFeed({ db, clock, faults });
  events.register(outboxSource(db));
  return {
    config,
    db,
    clock,
    faults,
    logger: deps.logger,
    tokens: createTokenService({ secret: config.jwtSecret, ttlSeconds: config.accessTokenTtlSeconds, clock }),
    wechat: deps.wechat ?? createWechatClient({ ...config.wechat, db, clock }),
    outbox: createOutbox(db, clock, events),
    events,
    audit: createAuditLog(db, clock),
    jobBooks: createJobBooks(db, clock),
    rateLimiter: createRateLimiter(db, clock),
    bankSignature: createBankSignatureVerifier({ secret: config.bankSystemsSecret, clock, db }),
    org,
    scope: createScope(org),
    staff,
    customers,
    points,
    independent: staff.requireIndependent,
  };
}

const HOUR_MS = 60 * 60 * 1000;

/** The platform's own bookkeeping: rate-limit counts and bank nonces past their use (FerretDB has no TTL indexes). */
function platformModule(ctx: AppContext): CapabilityModule {
  return {
    name: 'platform',
    jobs: {
      rateLimitHits: () => ctx.rateLimiter.purgeOlderThan(new Date(ctx.clock.now().getTime() - HOUR_MS)),
      // A bank request's nonce is kept only while its timestamp could still be accepted.
      bankNonces: () => ctx.bankSignature.purgeNonces(),
    },
    ensureIndexes: () => ctx.rateLimiter.ensureIndexes(),
  };
}

/**
 * Every capability, each from its folder's one entry, in the order they depend on each
 * other. A capability reacts to another's events through the event feed (a phone bound
 * completes a task: tasks subscribe to it); a query to one built later is a function that
 * reaches it once everything is built.
 */
function createServices(deps: AppDeps & { logger: Logger }) {
  const clock = deps.clock ?? systemClock;
  const records = createRecords(deps, clock);
  const ctx = createContext(deps, clock, records);
  const org = orgModule(records.org);
  const staff = staffModule(ctx, records.staff);
  const customers = customersModule(ctx, records.customers, { tierOf: async (customerId) => (await targeting.repository.findTags(customerId))?.tier ?? null });
  const auth = authModule(ctx);
  const targeting = targetingModule(ctx);
  const rewards = rewardsModule(ctx, {
    grantChances: (g) => draws.service.grantFromReward(g.drawCode, g.customerId, g.count, g.rewardId),
    chanceTarget: (drawCode) => draws.service.chancesPayable(drawCode),
    chancesMissing: (g) => draws.service.chancesMissing(g),
  });
  const points = pointsModule(ctx, records.points, { rewards: rewards.engine });
  const activities = activitiesModule(ctx, {
    targeting: targeting.service,
    rewards: rewards.engine,
    publication: {
      check: (activity) => draws.publication.check(activity),
      prepare: (view, content) => draws.publication.prepare(view, content),
      release: (view) => draws.publication.release(view),
    },
    afterJoin: (customerId, activityId) => livestreams.schedule.reserveLinked(customerId, activityId),
    mayPay: (customerId) => mayContact(customerId),
  });
  // Whether a customer may be contacted or paid at all, read fresh each time deferred work is about to act: agreed to the policy in force, no deletion request.
  const mayContact = async (customerId: string) => (await privacy.service.mine(customerId)).consentedAt !== null;
  const tasks = tasksModule(ctx, { eligibleLive: activities.eligibleLive, rewards: rewards.engine, mayPay: mayContact });
  const checkin = checkinModule(ctx, { onCheckedIn: (customerId, day, streak) => draws.service.grantForCheckin(customerId, day, streak) });
  const mall = mallModule(ctx, { targeting: targeting.repository, provider: deps.provider });
  const draws = drawsModule(ctx, { activities, rewards: rewards.engine, codes: mall.codes, addresses: mall.addresses, mallPrizes: mall.prizes, shipOrder: mall.admin.ship });
  const quiz = quizModule(ctx, { activities: activities.customer, rewards: rewards.engine });
  const referrals = referralsModule(ctx, { activities, rewards: rewards.engine, joinedAt: (customerId) => privacy.service.joinedAt(customerId) });
  const conversions = conversionsModule(ctx, { tasks: tasks.service, qualify: referrals.qualify, consented: (customerId) => privacy.service.consented(customerId) });
  const privacy = privacyModule(ctx);
  const contentLibrary = contentLibraryModule(ctx, { scenes: referrals.scenes, consented: (customerId) => privacy.service.consented(customerId) });
  const tracking = trackingModule(ctx, {
    activities: activities.repository,
    managerOf: async (customerId) => (await referrals.managerBooks.current(customerId))?.rmId ?? null,
    segmentOf: async (customerId) => (await targeting.repository.findTags(customerId))?.tier ?? null,
  });
  const delivery = deliveryModule(ctx);
  const life = lifeModule(ctx, { targeting: targeting.service, tasks: tasks.service });
  const coupons = couponsModule(ctx, { targeting: targeting.service });
  const livestreams = livestreamsModule(ctx, {
    tasks: tasks.service,
    findActivity: activities.repository.findView,
    joinActivity: (customerId, activityId) => activities.customer.join(customerId, activityId),
    activityIdForCode: activities.repository.idForCode,
    findItemTitle: mall.itemTitle,
    mayContact,
  });
  const triggers = triggersModule(ctx, { activities: activities.repository, rewards: rewards.engine, targeting: targeting.service, mayContact });
  const leads = leadsModule(ctx, {
    managerOf: async (customerId) => (await referrals.managerBooks.current(customerId))?.rmId ?? null,
    mayContact,
    titles: { item: mall.itemTitle, activity: async (id) => (await activities.repository.findView(id))?.live?.title ?? null },
  });
  referrals.observeHandovers(async (moved) => void (await leads.book.handOver(moved)));
  const analytics = analyticsModule(ctx, {
    activities: activities.repository,
    referralFigures: referrals.inviteFigures,
    budgetUsage: rewards.engine.budgetUsage,
    consented: (customerId) => privacy.service.consented(customerId),
  });
  const programme = programmeModule(ctx, {
    listStaffIn: (unitIds) => records.staff.listInOrgUnits(unitIds),
    taskCompletion: (rmIds, period) => marketingTasks.service.completion(rmIds, { from: period.start, to: period.end }),
    managerOf: async (customerId) => (await referrals.managerBooks.current(customerId))?.rmId ?? null,
    offeredActivity: async (triggerId) => {
      const action = (await triggers.repository.findView(triggerId))?.live?.action;
      return action?.kind === 'activity' ? action.activityId : null;
    },
    activityTitles: async (ids) => new Map((await activities.repository.findViews(ids)).map((v) => [v._id, v.live?.title ?? v.workingContent?.title ?? v.code])),
    pointsBook: points.book,
    consented: (customerId) => privacy.service.consented(customerId),
    recount: {
      behaviour: (from, to) => behaviourBetween(deps.db, from, to),
      domain: (names) => outboxEventsNamed(deps.db, names),
      conversions: (from, to) => conversionEventsBetween(deps.db, from, to),
    },
  });

  const marketingTasks = marketingTasksModule(ctx, {
    findActivity: activities.repository.findView,
    staffIn: (unitIds) => records.staff.listInOrgUnits(unitIds),
    poster: (principal, activityId, taskId) => referrals.managers.poster(principal, activityId, taskId),
    content: contentLibrary.service,
    customersOf: async (rmId) => (await referrals.managerBooks.all(rmId)).map((c) => c.customerId),
    inAudience: async (customer, audience) => (await targeting.service.eligibility.of(customer, [audience]))(audience),
    mayContact,
    activityIdForCode: activities.repository.idForCode,
  });
  referrals.observeArrivals(marketingTasks.observeArrival);
  referrals.observeHandovers(marketingTasks.observeHandover);

  const customerService = customerServiceModule(ctx, {
    profile: customers.service.getProfile,
    balance: points.service.balance,
    ledger: points.service.page,
    orders: mall.customer.orders,
    prizes: rewards.engine.prizesOf,
  });

  const modules: CapabilityModule[] = [
    platformModule(ctx),
    org,
    staff.module,
    customers.module,
    auth.module,
    targeting.module,
    rewards.module,
    points.module,
    activities.module,
    tasks.module,
    checkin.module,
    mall.module,
    draws.module,
    quiz.module,
    referrals.module,
    conversions.module,
    privacy.module,
    tracking.module,
    delivery.module,
    analytics.module,
    triggers.module,
    leads.module,
    life.module,
    coupons.module,
    livestreams.module,
    marketingTasks.module,
    contentLibrary.module,
    programme.module,
    mediaModule(ctx),
    auditModule(ctx),
    jobsModule(ctx),
    customerService,
  ];
  const capabilities = {
    staff,
    customers,
    auth,
    targeting,
    rewards,
    points,
    activities,
    tasks,
    checkin,
    mall,
    draws,
    quiz,
    referrals,
    conversions,
    privacy,
    tracking,
    delivery,
    analytics,
    triggers,
    leads,
    life,
    coupons,
    livestreams,
    marketingTasks,
    contentLibrary,
    programme,
  };
  // The owners' whole repositories, for seeding and tests (the context holds their directories).
  return { ...ctx, ...records, capabilities, modules, maintenance: createMaintenance({ logger: deps.logger, modules, books: ctx.jobBooks, faults: ctx.faults }) };
}

export type Services = ReturnType<typeof createServices>;

/** Creates every module's collections and indexes; idempotent, run at start-up before serving. */
export async function prepareDatabase(services: Services): Promise<void> {
  for (const module of services.modules) await module.ensureIndexes?.();
}

/** The Koa app, built from its dependencies; it does not listen. */
export function createApp(deps: AppDeps): Koa & { services: Services } {
  const logger = deps.logger ?? createLogger({ level: deps.config.logLevel });
  const built = createServices({ ...deps, logger });
  const { tokens } = built;

  const routes = built.modules.flatMap((m) => m.routes ?? []);
  routes.push(
    // Built just below, from this list, before any request can arrive.
    implement(metaApi.getOpenApiDocument, () => openApi),
  );
  servesExactly(routes, API);
  const probeRoutes = healthRoutes(deps.db);
  const groups = [
    { basePath: '', routes: probeRoutes },
    { basePath: API_PREFIX, routes },
  ];
  const openApi = buildOpenApiDocument(groups, { title: '银行私域运营 BFF', version: '1.0.0' });

  const mountOptions = {
    tokens,
    currentStaff: (id: string) => built.staff.findById(id),
    consent: built.capabilities.privacy.service,
    bodyParser: bodyParser({ enableTypes: ['text'], extendTypes: { text: ['text/csv'] }, textLimit: deps.config.bodyLimit }),
    bodyLimitBytes: deps.config.bodyLimitBytes,
    logger,
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
