import type { Scope } from '@/platform/auth/scope';
import type { AuditEntry, AuditLog } from '@/platform/audit';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import { auditApi } from '@shared/contracts/audit';

const encodeCursor = (e: AuditEntry) => Buffer.from(`${e.at.toISOString()}|${e.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!id || Number.isNaN(Date.parse(at))) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'query.cursor', message: '分页游标无效' }] });
  return { at: new Date(at), id };
}

/** The operator audit trail, readable by admins and reviewers for the actors of their own org subtree. */
export function auditRoutes(audit: AuditLog, scope: Scope, bannedWords: string[]) {
  return [
    implement(auditApi.listBannedWords, () => ({ words: bannedWords })),
    implement(auditApi.listAuditRecords, async ({ principal, query }) => {
      const entries = await audit.search({
        orgUnitIds: await scope.unitIds(principal),
        actorId: query.actorId,
        action: query.action,
        targetType: query.targetType,
        targetId: query.targetId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        before: query.cursor ? decodeCursor(query.cursor) : undefined,
        limit: query.limit,
      });
      return {
        items: entries.map((e) => ({ ...e, at: e.at.toISOString(), reason: e.reason ?? null, detail: e.detail ?? null })),
        nextCursor: entries.length === query.limit ? encodeCursor(entries[entries.length - 1]) : null,
      };
    }),
  ];
}
