import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@shared/roles';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';
import { hashId } from '@/kernel/ids';

type RefreshRecord = {
  _id: string; // sha256 of the token: the token itself is never stored
  familyId: string;
  subject: string;
  role: Role;
  org?: string;
  expiresAt: Date;
  createdAt: Date;
};

/**
 * A staff login attempt, from where, and whether that source had logged this user in before.
 * `refused` attempts (made while locked or delayed) never count as failures.
 */
type LoginAttempt = { _id: string; username: string; source: string; knownSource: boolean; at: Date; outcome: 'pending' | 'failed' | 'succeeded' | 'refused' };
type AttemptScope = { username: string } & ({ source: string } | { knownSource: false });

const hashToken = (token: string) => hashId([token]);

export function createAuthRepository(db: Database) {
  const refreshTokens = () => db.collection<RefreshRecord>('refresh_tokens');
  // Each of these is a set of claims keyed by `_id`, so the first insert wins atomically.
  const usedTokens = () => db.collection<{ _id: string; at: Date }>('refresh_token_uses');
  const revokedFamilies = () => db.collection<{ _id: string; reason: string; at: Date }>('revoked_token_families');
  const attempts = () => db.collection<LoginAttempt>('staff_login_attempts');
  // Sources a user has logged in from: `<username>|<source>`.
  const knownSources = () => db.collection<{ _id: string; at: Date }>('staff_known_sources');
  const scopeFilter = (scope: AttemptScope) => ('source' in scope ? { username: scope.username, source: scope.source } : { username: scope.username, knownSource: false });

  return {
    async issueRefreshToken(input: Omit<RefreshRecord, '_id'>): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await refreshTokens().insertOne({ _id: hashToken(token), ...input });
      return token;
    },
    findRefreshToken: (token: string) => refreshTokens().findOne({ _id: hashToken(token) }),
    /** True for the one caller that uses the token first; false for every later use. */
    markUsed: (token: string, at: Date): Promise<boolean> => insertOnce(usedTokens(), { _id: hashToken(token), at }),
    async revokeFamily(familyId: string, reason: string, at: Date): Promise<void> {
      await insertOnce(revokedFamilies(), { _id: familyId, reason, at });
    },
    isFamilyRevoked: async (familyId: string) => (await revokedFamilies().countDocuments({ _id: familyId })) > 0,

    /** Records an attempt before the password is checked, so a burst of guesses counts itself. */
    async beginAttempt(attempt: Omit<LoginAttempt, '_id' | 'outcome'>): Promise<string> {
      const id = randomUUID();
      await attempts().insertOne({ _id: id, ...attempt, outcome: 'pending' });
      return id;
    },
    async finishAttempt(id: string, outcome: 'failed' | 'succeeded' | 'refused'): Promise<void> {
      await attempts().updateOne({ _id: id }, { $set: { outcome } });
    },
    /**
     * Failed or unfinished attempts in this scope since the window began and since the scope's
     * last success, oldest first (their times tell how long a lock or a delay still runs).
     */
    async recentFailures(scope: AttemptScope, since: Date, excludeId: string): Promise<Date[]> {
      const successScope = 'source' in scope ? scopeFilter(scope) : { username: scope.username };
      const lastSuccess = await attempts()
        .find({ ...successScope, outcome: 'succeeded', at: { $gte: since } })
        .sort({ at: -1 })
        .limit(1)
        .toArray();
      const from = lastSuccess[0]?.at ?? since;
      const failed = await attempts()
        .find({ ...scopeFilter(scope), outcome: { $in: ['failed', 'pending'] }, at: { $gte: from }, _id: { $ne: excludeId } })
        .sort({ at: 1 })
        .toArray();
      return failed.map((a) => a.at);
    },
    /** Attempts older than any lockout window can look back to: they no longer count, and would only grow every lookup. */
    purgeAttemptsBefore: async (before: Date) => (await attempts().deleteMany({ at: { $lt: before } })).deletedCount,
    isKnownSource: async (username: string, source: string) => (await knownSources().findOne({ _id: `${username}|${source}` })) !== null,
    async rememberSource(username: string, source: string, at: Date): Promise<void> {
      await insertOnce(knownSources(), { _id: `${username}|${source}`, at });
    },

    async ensureIndexes() {
      await refreshTokens().createIndex({ familyId: 1 });
      await attempts().createIndex({ username: 1, at: -1 });
      await attempts().createIndex({ username: 1, source: 1, at: -1 });
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
export const newFamilyId = () => randomUUID();
