import path from 'node:path';
import { z } from 'zod';
import { TRACK_EVENT_TYPES, type TrackEventType } from '@shared/contracts/tracking';
import { PRIVACY_POLICY_VERSION } from '@shared/privacy';

/**
 * Secrets the development stack and the tests run on. They are public (they are in this
 * repository), so anything but an explicit development or test run refuses to start with them.
 */
const DEV_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-in-production-0123456789',
  WECHAT_SECRET: 'dev-wechat-secret',
  BANK_SYSTEMS_SECRET: 'dev-bank-systems-secret-0123456789abcdef',
  MALL_PROVIDER_KEY: 'dev-provider-key',
  PII_HASH_SECRET: 'dev-pii-hash-secret-0123456789abcdef',
  BANK_WEBHOOK_SECRET: 'dev-bank-webhook-secret-0123456789abcdef',
  MERCHANT_SECRET: 'dev-merchant-secret-0123456789abcdef0123',
  COUPON_CODE_SECRET: 'dev-coupon-code-secret-0123456789abcdef',
} as const;
/** Required, and never one of the development secrets, unless NODE_ENV opts into development or test. */
const PRODUCTION_REQUIRED = [
  'JWT_SECRET',
  'WECHAT_APPID',
  'WECHAT_SECRET',
  'WECHAT_API_BASE',
  'MALL_PROVIDER_URL',
  'MALL_PROVIDER_KEY',
  'BANK_SYSTEMS_SECRET',
  'PII_HASH_SECRET',
  'MERCHANT_SECRET',
  'COUPON_CODE_SECRET',
] as const;

const SIZE = /^(\d+)(b|kb|mb)?$/i;
const bytesOf = (size: string) => {
  const [, n, unit = 'b'] = SIZE.exec(size)!;
  return Number(n) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
};

const Env = z
  .object({
    // Production unless told otherwise: a deployment that forgets this variable fails closed.
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    MONGODB_URI: z.string().default('mongodb://127.0.0.1:27027/bank'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(100),
    JWT_SECRET: z.string().min(32).optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    WECHAT_API_BASE: z.url().optional(),
    WECHAT_APPID: z.string().min(1).optional(),
    WECHAT_SECRET: z.string().min(1).optional(),
    H5_ORIGIN: z.string().default('http://127.0.0.1:10086'),
    MEDIA_DIR: z.string().optional(),
    BODY_LIMIT: z.string().regex(SIZE, 'a size such as 512kb or 1mb').default('1mb'),
    /** How many reverse proxies in front of the BFF append to X-Forwarded-For; 0 trusts none of it. */
    TRUSTED_PROXIES: z.coerce.number().int().min(0).max(5).default(0),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    ACCOUNT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    PHONE_BINDS_PER_HOUR: z.coerce.number().int().min(1).default(5),
    QUIZ_ANSWERS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    STAFF_LOCKOUT_FAILURES: z.coerce.number().int().min(1).default(5),
    STAFF_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
    /** The privacy policy in force: consent to any other version does not count (a new version asks every customer again). */
    PRIVACY_POLICY_VERSION: z.string().min(1).max(20).default(PRIVACY_POLICY_VERSION),
    DAILY_ACTIVITY_CAP: z.coerce.number().int().min(1).max(100).default(10),
    DISMISS_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    NEW_CUSTOMER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** What one point is worth in 元, for the cockpit's points liability and cost figures (100 points = 1 元 by default). */
    POINT_VALUE_YUAN: z.coerce.number().min(0).max(100).default(0.01),
    POINTS_EXPIRY: z
      .string()
      .regex(/^(end-of-next-year|days:\d{1,4})$/, 'end-of-next-year or days:N')
      .default('end-of-next-year'),
    CHECKIN_SCHEDULE: z
      .string()
      .regex(/^\d{1,5}(,\d{1,5}){0,30}$/, 'comma-separated points per streak day')
      .default('5,5,5,5,5,5,20'),
    CHECKIN_MAKEUPS_PER_MONTH: z.coerce.number().int().min(0).max(31).default(2),
    CHECKIN_MAKEUP_PRICE: z.coerce.number().int().min(0).max(100_000).default(20),
    BANNED_WORDS: z.string().default('保本,稳赚,零风险,无风险,最高收益,100%收益,稳赚不赔,保证收益'),
    BANK_SYSTEMS_SECRET: z.string().min(32).optional(),
    /** Keys the hash under which ID numbers are stored (an unkeyed hash of an ID number is easily reversed). */
    PII_HASH_SECRET: z.string().min(32).optional(),
    QUIZ_ATTEMPTS_PER_DAY: z.coerce.number().int().min(1).max(20).default(3),
    MALL_PROVIDER_URL: z.url().optional(),
    MALL_PROVIDER_KEY: z.string().min(1).optional(),
    MALL_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
    MALL_ORDER_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
    // Sub-streams a new item's stock is split into, so one hot item's redemptions spread over them.
    MALL_STOCK_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
    // The same for a new activity's reward budget.
    REWARD_BUDGET_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
    // First touch counts for a customer registered at most this long before arriving through a share.
    REFERRAL_ATTRIBUTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    ASSIST_HELPS_PER_HELPER_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(10),
    ASSIST_HELPS_PER_DEVICE_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(10),
    ASSIST_HELPS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(60),
    HANDOVER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    /** The share of each event type the mini-program keeps, e.g. impression=0.5,page_view=1; unnamed types: all. */
    TRACK_SAMPLING: z
      .string()
      .regex(/^([a-z_]+=(0(\.\d+)?|1(\.0+)?))?(,[a-z_]+=(0(\.\d+)?|1(\.0+)?))*$/, 'type=rate pairs, comma-separated')
      .refine(
        (s) =>
          s
            .split(',')
            .filter(Boolean)
            .every((pair) => (TRACK_EVENT_TYPES as readonly string[]).includes(pair.split('=')[0])),
        'an unknown event type',
      )
      .default(''),
    /** How often each process runs its sweeps (recovery, reminders): a minute in production. */
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
    /** Coupon claims from one network address a minute, whoever claims (many accounts behind one address is farming). */
    COUPON_CLAIMS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    /** Shared with merchants, who sign their code redemptions with it. */
    MERCHANT_SECRET: z.string().min(32).optional(),
    /** Keys the co-branded coupon codes, so one code does not give away the others. */
    COUPON_CODE_SECRET: z.string().min(32).optional(),
    /** Domains a web-view service may open (WeChat's 业务域名), comma-separated; a subdomain counts. */
    WEBVIEW_DOMAINS: z
      .string()
      .regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/, 'comma-separated domains')
      .default('yxbank.cn'),
    /** Triggered offers (事件营销) one customer gets a day, across all triggers. */
    TRIGGER_DAILY_CAP: z.coerce.number().int().min(1).max(20).default(2),
    /** Where behaviour and domain events are posted for the bank (batches, signed); unset: not sent. */
    BANK_WEBHOOK_URL: z.url().optional(),
    BANK_WEBHOOK_SECRET: z.string().min(32).optional(),
    BANK_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** A folder (a mount the bank collects from) for one NDJSON file of events per day; unset: none. */
    BANK_EXPORT_DIR: z.string().optional(),
    RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(86_400_000).default(1000),
    RELAY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    RELAY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    RELAY_BACKOFF_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    RELAY_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(300_000),
    /** Failed batches in a row, across partitions, after which a sink is taken to be down (its circuit opens). */
    RELAY_CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** While a sink is down, how often each partition probes it at most. */
    RELAY_CIRCUIT_PROBE_MS: z.coerce.number().int().min(10).max(600_000).default(15_000),
    /** An intent older than this whose events are not all stored is finished from its own copy (its request died). */
    RELAY_INTENT_STALE_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
    /** A day's NDJSON file closes this long after the day ends (Asia/Shanghai); later events of the day go to a late file. */
    BANK_EXPORT_CLOSE_AFTER_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
    /** Days the per-day delivery books (ledger, sent marks) are kept before they are dropped. */
    DELIVERY_BOOKS_DAYS: z.coerce.number().int().min(2).max(3650).default(90),
  })
  .superRefine((env, ctx) => {
    // Production must never run on the development defaults.
    if (env.NODE_ENV !== 'production') return;
    for (const key of PRODUCTION_REQUIRED) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required in production` });
    }
    if (env.BANK_WEBHOOK_URL && !env.BANK_WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['BANK_WEBHOOK_SECRET'], message: 'BANK_WEBHOOK_SECRET is required with BANK_WEBHOOK_URL in production' });
    for (const [key, secret] of Object.entries(DEV_SECRETS) as [keyof typeof DEV_SECRETS, string][]) {
      if (env[key] === secret) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is the public development secret: set a secret of your own` });
    }
  });

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  mongodbUri: string;
  dbPoolSize: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  wechat: { apiBase: string; appid: string; secret: string };
  h5Origin: string;
  privacyPolicyVersion: string;
  /** The pictures served under /media (the demo catalogue's, or a mounted folder). */
  mediaDir: string;
  bodyLimit: string;
  bodyLimitBytes: number;
  trustedProxies: number;
  /** Whether TRUSTED_PROXIES was given at all (0 set on purpose: clients connect directly). */
  trustedProxiesSet: boolean;
  logLevel: string;
  /** Per source address and per account; anything that can be farmed or guessed is capped both ways. */
  rateLimits: { loginPerIpPerMinute: number; perAccountPerMinute: number; phoneBindsPerHour: number; quizAnswersPerMinute: number };
  staffLockout: { failures: number; minutes: number };
  targeting: { dailyCap: number; dismissDays: number; newCustomerDays: number };
  /** Wording banned in financial marketing copy; configurable, comma-separated in the environment. */
  bannedWords: string[];
  /** Points for day 1, 2, … of a check-in streak; the cycle repeats (default: a day-7 bonus). */
  checkinSchedule: number[];
  /** The missed-day rule: this many make-up check-ins a month, at this many points each. */
  checkinMakeup: { perMonth: number; price: number };
  /** When earned points expire: the end of the next calendar year, or N days after earning. */
  pointsExpiry: { kind: 'end-of-next-year' } | { kind: 'days'; days: number };
  /** What one point is worth in 元 (POINT_VALUE_YUAN): the cockpit values points issued, spent, expired and outstanding with it. */
  pointValueYuan: number;
  /** Graded quiz attempts a customer gets per quiz per day (a cap on guessing the answers). */
  quizAttemptsPerDay: number;
  /** Shared secret the bank's systems sign their server-to-server calls with. */
  bankSystemsSecret: string;
  piiHashSecret: string;
  /**
   * The top-up and membership partner, and how long an order may stay mid-way: a request
   * stops starting saga steps after half the lease, and the recovery sweep takes over after it.
   */
  mall: { providerUrl: string; providerKey: string; providerTimeoutMs: number; orderLeaseMs: number; stockShards: number };
  rewardBudgetShards: number;
  triggerDailyCap: number;
  webviewDomains: string[];
  sweepIntervalMs: number;
  couponClaimsPerIpPerMinute: number;
  merchantSecret: string;
  couponCodeSecret: string;
  trackSampling: Partial<Record<TrackEventType, number>>;
  /**
   * Where events go for the bank, and how the relay sends them: a lease per partition, batches,
   * retries backing off exponentially with jitter, dead letters after `maxAttempts`.
   */
  delivery: {
    webhook: { url: string; secret: string; timeoutMs: number } | null;
    exportDir: string | null;
    intervalMs: number;
    leaseMs: number;
    batchSize: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    circuitFailures: number;
    circuitProbeMs: number;
    intentStaleMs: number;
    exportCloseAfterMs: number;
    booksDays: number;
  };
  referrals: { attributionHours: number; assistLimits: { perHelperPerHour: number; perDevicePerHour: number; perIpPerHour: number }; handoverBatchSize: number };
};

class ConfigError extends Error {}

/**
 * Behind the bank's gateway every request arrives from the gateway's address: unless
 * TRUSTED_PROXIES says how many proxies write X-Forwarded-For, the BFF sees one network for
 * every customer, so per-address limits bind everyone together and every assist with three or
 * more helpers is held as "one network". A production start without it set says so; so does
 * any process at the first forwarded request it gets while it is unset.
 */
export function proxyWarningAtStart(config: Config): string | null {
  if (config.env !== 'production' || config.trustedProxiesSet) return null;
  return 'WARNING: TRUSTED_PROXIES is not set, so X-Forwarded-For is believed from nobody. Behind a gateway or load balancer every customer then has the gateway’s address: per-address rate limits bind them all together and every assist with 3 or more helpers is held for review as one network. Set TRUSTED_PROXIES to the number of proxies in front of the BFF (0 if clients connect directly).';
}

/** Said once per process, at the first request that came through a proxy while TRUSTED_PROXIES is unset. */
export function proxyWarningOnRequest(config: Config, forwardedFor: string | string[] | undefined): string | null {
  if (config.trustedProxiesSet || !forwardedFor) return null;
  return 'WARNING: a request came through a proxy (X-Forwarded-For) but TRUSTED_PROXIES is not set: every customer is taken to be at the proxy’s address, so per-address limits and the assist fraud checks see one network. Set it to the number of proxies in front of the BFF.';
}

/** Parses the environment once at start-up; any problem stops the process with every reason listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `FOO=` in an environment file means "not set", not "set to nothing".
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${reasons}`);
  }
  const e = parsed.data;
  return {
    trustedProxiesSet: env.TRUSTED_PROXIES !== undefined && env.TRUSTED_PROXIES !== '',
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dbPoolSize: e.DB_POOL_SIZE,
    jwtSecret: e.JWT_SECRET ?? DEV_SECRETS.JWT_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    wechat: {
      apiBase: e.WECHAT_API_BASE ?? 'http://127.0.0.1:4010',
      appid: e.WECHAT_APPID ?? 'wxdemo0000000000',
      secret: e.WECHAT_SECRET ?? DEV_SECRETS.WECHAT_SECRET,
    },
    h5Origin: e.H5_ORIGIN,
    mediaDir: e.MEDIA_DIR ?? path.resolve(__dirname, '../media'),
    bodyLimit: e.BODY_LIMIT,
    bodyLimitBytes: bytesOf(e.BODY_LIMIT),
    trustedProxies: e.TRUSTED_PROXIES,
    logLevel: e.LOG_LEVEL,
    rateLimits: {
      loginPerIpPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
      perAccountPerMinute: e.ACCOUNT_RATE_LIMIT_PER_MINUTE,
      phoneBindsPerHour: e.PHONE_BINDS_PER_HOUR,
      quizAnswersPerMinute: e.QUIZ_ANSWERS_PER_MINUTE,
    },
    privacyPolicyVersion: e.PRIVACY_POLICY_VERSION,
    staffLockout: { failures: e.STAFF_LOCKOUT_FAILURES, minutes: e.STAFF_LOCKOUT_MINUTES },
    targeting: { dailyCap: e.DAILY_ACTIVITY_CAP, dismissDays: e.DISMISS_DAYS, newCustomerDays: e.NEW_CUSTOMER_DAYS },
    pointsExpiry: e.POINTS_EXPIRY === 'end-of-next-year' ? { kind: 'end-of-next-year' } : { kind: 'days', days: Number(e.POINTS_EXPIRY.slice(5)) },
    pointValueYuan: e.POINT_VALUE_YUAN,
    checkinSchedule: e.CHECKIN_SCHEDULE.split(',').map(Number),
    checkinMakeup: { perMonth: e.CHECKIN_MAKEUPS_PER_MONTH, price: e.CHECKIN_MAKEUP_PRICE },
    quizAttemptsPerDay: e.QUIZ_ATTEMPTS_PER_DAY,
    bankSystemsSecret: e.BANK_SYSTEMS_SECRET ?? DEV_SECRETS.BANK_SYSTEMS_SECRET,
    piiHashSecret: e.PII_HASH_SECRET ?? DEV_SECRETS.PII_HASH_SECRET,
    mall: {
      providerUrl: e.MALL_PROVIDER_URL ?? 'http://127.0.0.1:4020',
      providerKey: e.MALL_PROVIDER_KEY ?? DEV_SECRETS.MALL_PROVIDER_KEY,
      providerTimeoutMs: e.MALL_PROVIDER_TIMEOUT_MS,
      orderLeaseMs: e.MALL_ORDER_LEASE_SECONDS * 1000,
      stockShards: e.MALL_STOCK_SHARDS,
    },
    rewardBudgetShards: e.REWARD_BUDGET_SHARDS,
    triggerDailyCap: e.TRIGGER_DAILY_CAP,
    webviewDomains: e.WEBVIEW_DOMAINS.split(','),
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    couponClaimsPerIpPerMinute: e.COUPON_CLAIMS_PER_IP_PER_MINUTE,
    merchantSecret: e.MERCHANT_SECRET ?? DEV_SECRETS.MERCHANT_SECRET,
    couponCodeSecret: e.COUPON_CODE_SECRET ?? DEV_SECRETS.COUPON_CODE_SECRET,
    trackSampling: Object.fromEntries(
      e.TRACK_SAMPLING.split(',')
        .filter(Boolean)
        .map((pair) => pair.split('='))
        .map(([type, rate]) => [type, Number(rate)]),
    ),
    referrals: {
      attributionHours: e.REFERRAL_ATTRIBUTION_HOURS,
      assistLimits: { perHelperPerHour: e.ASSIST_HELPS_PER_HELPER_PER_HOUR, perDevicePerHour: e.ASSIST_HELPS_PER_DEVICE_PER_HOUR, perIpPerHour: e.ASSIST_HELPS_PER_IP_PER_HOUR },
      handoverBatchSize: e.HANDOVER_BATCH_SIZE,
    },
    delivery: {
      webhook: e.BANK_WEBHOOK_URL ? { url: e.BANK_WEBHOOK_URL, secret: e.BANK_WEBHOOK_SECRET ?? DEV_SECRETS.BANK_WEBHOOK_SECRET, timeoutMs: e.BANK_WEBHOOK_TIMEOUT_MS } : null,
      exportDir: e.BANK_EXPORT_DIR ?? null,
      intervalMs: e.RELAY_INTERVAL_MS,
      // A lease outlives any one send, so a batch is never sent by two relays at once in normal operation.
      leaseMs: Math.max(e.RELAY_LEASE_MS, 3 * e.BANK_WEBHOOK_TIMEOUT_MS),
      batchSize: e.RELAY_BATCH_SIZE,
      maxAttempts: e.RELAY_MAX_ATTEMPTS,
      backoffBaseMs: e.RELAY_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(e.RELAY_BACKOFF_MAX_MS, e.RELAY_BACKOFF_BASE_MS),
      circuitFailures: e.RELAY_CIRCUIT_FAILURES,
      circuitProbeMs: e.RELAY_CIRCUIT_PROBE_MS,
      intentStaleMs: e.RELAY_INTENT_STALE_MS,
      exportCloseAfterMs: e.BANK_EXPORT_CLOSE_AFTER_MINUTES * 60_000,
      booksDays: e.DELIVERY_BOOKS_DAYS,
    },
    bannedWords: e.BANNED_WORDS.split(',')
      .map((w) => w.trim())
      .filter(Boolean),
  };
}
