import { ErrorCode, errorMessagesZh } from '@shared/errors';

export type FieldIssue = { path: string; message: string };

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  VALIDATION_RULE_FAILED: 422,
  BAD_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  AUTH_REQUIRED: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_REFRESH_INVALID: 401,
  AUTH_REFRESH_REUSED: 401,
  AUTH_BAD_CREDENTIALS: 401,
  AUTH_ACCOUNT_LOCKED: 423,
  AUTH_LOGIN_DELAYED: 429,
  AUTH_REPLAYED: 401,
  FORBIDDEN: 403,
  PRIVACY_POLICY_OUTDATED: 409,
  PRIVACY_CONSENT_REQUIRED: 403,
  PRIVACY_DELETION_REQUESTED: 403,
  EVENT_ID_CONFLICT: 409,
  WECHAT_CODE_INVALID: 401,
  WECHAT_CODE_USED: 401,
  WECHAT_UNAVAILABLE: 502,
  RATE_LIMITED: 429,
  IDEMPOTENCY_KEY_REUSED: 422,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  CONFLICT: 409,
  BULK_UPLOAD_INVALID: 422,
  MEDIA_INVALID: 422,
  ACTIVITY_INVALID_TRANSITION: 409,
  ACTIVITY_SELF_REVIEW: 403,
  ACTIVITY_BANNED_WORDS: 422,
  ACTIVITY_PRIZES_LOCKED: 409,
  ACTIVITY_NOT_LIVE: 409,
  RM_TASK_NOT_RUNNING: 409,
  RM_TASK_NOTHING_TO_SHARE: 409,
  RM_TASK_ALREADY_FOLLOWED_UP: 409,
  ACTIVITY_ENDED: 409,
  ACTIVITY_NOT_JOINABLE: 409,
  ACTIVITY_NOT_ELIGIBLE: 403,
  ACTIVITY_BUDGET_EXHAUSTED: 409,
  POINTS_INSUFFICIENT: 409,
  ADJUSTMENT_SELF_APPROVAL: 403,
  REVIEW_CONFLICT_OF_INTEREST: 403,
  PHONE_ALREADY_BOUND: 409,
  CHECKIN_MAKEUP_NOT_ALLOWED: 422,
  CHECKIN_MAKEUP_LIMIT: 409,
  REVIEW_INVALID_TRANSITION: 409,
  REVIEW_SELF_REVIEW: 403,
  REVIEW_BANNED_WORDS: 422,
  MALL_SOLD_OUT: 409,
  MALL_CASH_PAYMENT_UNAVAILABLE: 409,
  MALL_LIMIT_REACHED: 409,
  MALL_TIER_NOT_ALLOWED: 403,
  MALL_NOT_ON_SALE: 409,
  MALL_ADDRESS_REQUIRED: 422,
  MALL_ACCOUNT_REQUIRED: 422,
  MALL_ORDER_NOT_CANCELLABLE: 409,
  MALL_STOCK_NEGATIVE: 409,
  MALL_FULFILMENT_FAILED: 502,
  QUIZ_ATTEMPTS_EXHAUSTED: 409,
  METHOD_NOT_ALLOWED: 405,
  ADDRESS_LIMIT_REACHED: 409,
  STAFF_SELF_CHANGE: 403,
  MALL_CODES_NOT_COUPON: 422,
  MALL_INITIAL_STOCK_LOCKED: 409,
  REVIEW_IMMUTABLE_FIELD: 422,
  QUIZ_ANSWERS_INCOMPLETE: 422,
  ORG_UNIT_UNKNOWN: 422,
  PHONE_REGION_UNSUPPORTED: 422,
  DRAW_NO_CHANCES: 409,
  DRAW_QUOTA_REACHED: 409,
  DRAW_IN_PROGRESS: 409,
  DRAW_NOT_FOR_SALE: 409,
  DRAW_PRIZE_NOT_CLAIMABLE: 409,
  DRAW_CLAIM_EXPIRED: 409,
  DRAW_PRIZE_NOT_SHIPPABLE: 409,
  DRAW_PRIZE_ITEM_UNAVAILABLE: 409,
  DRAW_PURCHASE_LAPSED: 409,
  ASSIST_SELF_HELP: 409,
  ASSIST_ALREADY_HELPED: 409,
  ASSIST_COMPLETED: 409,
  ASSIST_EXPIRED: 409,
  ASSIST_NEW_CUSTOMERS_ONLY: 403,
  ASSIST_DAILY_LIMIT: 409,
  QUIZ_NEEDS_ATTEMPT: 409,
  QUIZ_BANK_TOO_SMALL: 409,
  QUIZ_ATTEMPT_EXPIRED: 409,
  QUIZ_ATTEMPT_SUBMITTED: 409,
  QUIZ_ATTEMPT_FOREIGN: 403,
  LIFE_SERVICE_UNAVAILABLE: 409,
  COUPON_SOLD_OUT: 409,
  COUPON_LIMIT_REACHED: 409,
  COUPON_NOT_CLAIMABLE: 409,
  COUPON_CODE_UNKNOWN: 404,
  COUPON_CODE_USED: 409,
  COUPON_CODE_EXPIRED: 410,
  LIVESTREAM_NOT_RESERVABLE: 409,
  LIVESTREAM_NOT_LIVE: 409,
  CONTENT_UNAVAILABLE: 410,
  LEAD_ALREADY_FOLLOWED_UP: 409,
  LEAD_CLOSED: 409,
};

/** The one error type services throw; the error middleware renders it as `{ code, message, requestId }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues?: FieldIssue[];
  /** Whether `message` may be shown to the caller; otherwise the code's standard text is shown. */
  readonly expose: boolean;
  /** For refusals that pass with time (rate limits, login delays): sent as Retry-After. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, options: { message?: string; issues?: FieldIssue[]; cause?: unknown; expose?: boolean; retryAfterSeconds?: number } = {}) {
    super(options.message ?? errorMessagesZh[code], { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.issues = options.issues;
    this.expose = options.expose ?? this.status < 500;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** FerretDB's SQLite backend answers "database is locked" under write contention: the write may or may not have been made. */
export function isTransientWriteError(err: unknown): boolean {
  return err instanceof Error && /database is locked|SQLITE_BUSY/.test(err.message);
}
