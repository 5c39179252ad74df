import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { errorMessagesZh } from '@shared/errors';
import { AppError, isTransientWriteError } from '../errors';
import { scrubDriverText, type Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function requestId() {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}

/** Body-parser and Koa errors carry an HTTP status and a `type`; map them to our codes. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; statusCode?: number; type?: string };
  const status = e?.status ?? e?.statusCode;
  if (status === 413 || e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', { cause: err });
  if (e?.type === 'entity.parse.failed' || (status === 400 && err instanceof SyntaxError)) return new AppError('BAD_JSON', { cause: err });
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', { cause: err });
  if (status === 400) return new AppError('BAD_JSON', { cause: err });
  // The database answered a write "too busy": it may or may not have been made (see database.md), so a 503
  // to try again, which keyed writes make safe; not a fault.
  if (isTransientWriteError(err)) return new AppError('SERVICE_UNAVAILABLE', { cause: err, message: '系统繁忙，请稍后重试' });
  return new AppError('INTERNAL', { cause: err, expose: false });
}

/** First in the chain: logs each request once and renders every error as `{ code, message, requestId }`. */
export function errorsAndAccessLog(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND');
    } catch (err) {
      const appError = toAppError(err);
      ctx.status = appError.status;
      if (appError.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(appError.retryAfterSeconds));
      ctx.body = {
        code: appError.code,
        message: appError.expose ? appError.message : errorMessagesZh[appError.code],
        requestId: ctx.state.requestId,
        ...(appError.issues ? { issues: appError.issues } : {}),
      };
      if (appError.status >= 500) {
        logger.error({ requestId: ctx.state.requestId, err: describeError(err) }, 'request failed');
      }
    } finally {
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          // The path only: query strings can carry codes or tokens.
          path: ctx.path,
          status: ctx.status,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          role: ctx.state.principal?.role,
        },
        'request',
      );
    }
  };
}

/** What an unexpected error tells the log: its kind and where, without the values a driver quotes. */
export function describeError(err: unknown) {
  if (err instanceof Error) {
    const errorCode = (err as { code?: unknown }).code;
    return { type: err.name, errorCode, message: scrubDriverText(err.message), stack: err.stack && scrubDriverText(err.stack) };
  }
  return { message: scrubDriverText(String(err)) };
}

/** Set before the rest of the chain runs, so refusals (401, 429, errors) carry them too. */
export function securityHeaders() {
  return async (ctx: Context, next: Next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
