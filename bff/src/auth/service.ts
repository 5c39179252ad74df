import type { Session } from '@shared/contracts/auth';
import { EventName } from '@shared/events';
import { Role } from '@shared/roles';
import type { Config } from '@/config';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { CustomerDirectory, StaffDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { RateLimiter } from '@/platform/rate-limit';
import type { TokenService, AccessClaims } from '@/platform/auth/tokens';
import type { WechatClient } from '@/platform/wechat/client';
import { DECOY_HASH_PROMISE, verifyPassword } from '@/platform/auth/password';
import { newFamilyId, type AuthRepository } from './repository';
import { replaceById } from '@/platform/upsert';

const DAY_MS = 24 * 60 * 60 * 1000;
/** From an unknown source, past the failure threshold, each further try waits twice as long as the last. */
const DELAY_BASE_MS = 2_000;
const DELAY_MAX_MS = 5 * 60_000;

type AuthDeps = {
  config: Config;
  clock: Clock;
  db: Database;
  tokens: TokenService;
  wechat: WechatClient;
  auth: AuthRepository;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  outbox: Outbox;
  rateLimiter: RateLimiter;
};

export function createAuthService(deps: AuthDeps) {
  const { config, clock, auth } = deps;

  async function issueSession(claims: AccessClaims, familyId: string): Promise<Session> {
    const access = deps.tokens.signAccess(claims);
    const refreshExpiresAt = new Date(clock.now().getTime() + config.refreshTokenTtlDays * DAY_MS);
    const refreshToken = await auth.issueRefreshToken({
      familyId,
      subject: claims.sub,
      role: claims.role,
      ...(claims.org ? { org: claims.org } : {}),
      expiresAt: refreshExpiresAt,
      createdAt: clock.now(),
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
      role: claims.role,
      subject: claims.sub,
    };
  }

  return {
    async loginWithWechat(code: string, ip: string): Promise<Session> {
      // The address's limit beside WeChat's answer: a refused login still gets no session.
      const [, session] = await Promise.all([deps.rateLimiter.consume(`wechat-login:${ip}`, config.rateLimits.loginPerIpPerMinute, 60), deps.wechat.code2Session(code)]);
      // The account's limit and its record at once: finding or creating the record is idempotent, and a refused login gets no session.
      const [, { customerId, created }] = await Promise.all([
        deps.rateLimiter.consume(`wechat-login-account:${session.openid}`, config.rateLimits.perAccountPerMinute, 60),
        deps.customers.findOrCreateByWechat({ appid: config.wechat.appid, openid: session.openid, unionid: session.unionid }),
      ]);
      const [, issued] = await Promise.all([
        // The session key stays here: it is needed to verify signed WeChat data, never by the client.
        replaceById(deps.db.collection<{ _id: string; sessionKey: string; updatedAt: Date }>('wechat_sessions'), customerId, {
          sessionKey: session.sessionKey,
          updatedAt: clock.now(),
        }),
        issueSession({ sub: customerId, role: Role.CUSTOMER }, newFamilyId()),
      ]);
      return { ...issued, isNewCustomer: created };
    },

    /**
     * Staff login with guessing kept out, and without letting an outsider lock a colleague out.
     * Failures count per username and source. From a source this user has logged in from before,
     * too many failures lock that source for the window. From unknown sources (counted together,
     * so spreading guesses over addresses does not help) they cause a growing delay instead of a
     * lock, so the real user at their usual source is never affected. Attempts refused while
     * locked or delayed are not failures: retrying never extends a lock.
     */
    async loginStaff(username: string, password: string, ip: string): Promise<Session> {
      await deps.rateLimiter.consume(`staff-login:${ip}`, config.rateLimits.loginPerIpPerMinute, 60);
      const now = clock.now();
      const knownSource = await auth.isKnownSource(username, ip);
      const attemptId = await auth.beginAttempt({ username, source: ip, knownSource, at: now });
      const windowMs = config.staffLockout.minutes * 60_000;
      const threshold = config.staffLockout.failures;
      const failures = await auth.recentFailures(knownSource ? { username, source: ip } : { username, knownSource: false }, new Date(now.getTime() - windowMs), attemptId);
      if (failures.length >= threshold) {
        const waitUntil = knownSource
          ? failures[failures.length - threshold].getTime() + windowMs
          : failures[failures.length - 1].getTime() + Math.min(DELAY_BASE_MS * 2 ** (failures.length - threshold), DELAY_MAX_MS);
        if (now.getTime() < waitUntil) {
          await auth.finishAttempt(attemptId, 'refused');
          throw new AppError(knownSource ? 'AUTH_ACCOUNT_LOCKED' : 'AUTH_LOGIN_DELAYED', { retryAfterSeconds: Math.ceil((waitUntil - now.getTime()) / 1000) });
        }
      }
      const member = await deps.staff.findByUsername(username);
      // Unknown users cost the same time as wrong passwords, so usernames cannot be probed.
      const valid = await verifyPassword(password, member?.passwordHash ?? (await DECOY_HASH_PROMISE));
      if (!member || member.disabled || !valid) {
        await auth.finishAttempt(attemptId, 'failed');
        throw new AppError('AUTH_BAD_CREDENTIALS');
      }
      await auth.finishAttempt(attemptId, 'succeeded');
      await auth.rememberSource(username, ip, now);
      return issueSession({ sub: member.id, role: member.role, org: member.orgUnitId }, newFamilyId());
    },

    /** Rotates a refresh token. A token presented twice means it leaked: its whole family is revoked. */
    async refresh(refreshToken: string, ip: string): Promise<Session> {
      await deps.rateLimiter.consume(`refresh:${ip}`, config.rateLimits.loginPerIpPerMinute, 60);
      const record = await auth.findRefreshToken(refreshToken);
      if (!record || record.expiresAt <= clock.now() || (await auth.isFamilyRevoked(record.familyId))) {
        throw new AppError('AUTH_REFRESH_INVALID');
      }
      await deps.rateLimiter.consume(`refresh-account:${record.subject}`, config.rateLimits.perAccountPerMinute, 60);
      if (!(await auth.markUsed(refreshToken, clock.now()))) {
        await auth.revokeFamily(record.familyId, 'reuse', clock.now());
        await deps.outbox.record(EventName.REFRESH_TOKEN_REUSED, record.familyId, { subjectId: record.subject, role: record.role });
        throw new AppError('AUTH_REFRESH_REUSED');
      }
      if (record.role === Role.CUSTOMER) return issueSession({ sub: record.subject, role: Role.CUSTOMER }, record.familyId);
      // Staff get their current role and unit, so a change by head office takes effect at the next refresh.
      const member = await deps.staff.findById(record.subject);
      if (!member || member.disabled) throw new AppError('AUTH_REFRESH_INVALID');
      return issueSession({ sub: member.id, role: member.role, org: member.orgUnitId }, record.familyId);
    },

    async logout(refreshToken: string): Promise<void> {
      const record = await auth.findRefreshToken(refreshToken);
      if (record) await auth.revokeFamily(record.familyId, 'logout', clock.now());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
