import { AuditPage, AuditQuery, BannedWords } from '../../../shared/contracts/review';
import { Role } from '../../../shared/roles';
import type { Scope } from '../platform/auth/scope';
import type { AuditEntry, AuditLog } from '../platform/audit';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';

const encodeCursor = (e: AuditEntry) => Buffer.from(`${e.at.toISOString()}|${e.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!id || Number.isNaN(Date.parse(at))) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'query.cursor', message: '分页游标无效' }] });
  return { at: new Date(at), id };
}

/** The operator audit trail, readable by admins and reviewers for the actors of their own org subtree. */
export function auditRoutes(audit: AuditLog, scope: Scope, bannedWords: string[]) {
  return [
    defineRoute({
      method: 'get',
      path: '/admin/banned-words',
      operationId: 'listBannedWords',
      summary: '金融营销禁用词（提交审核前检查；管理台在审核差异中标出）',
      tags: ['admin'],
      access: [Role.ADMIN, Role.REVIEWER],
      responses: { 200: { description: 'The configured list', schema: BannedWords } },
      handler: () => ({ words: bannedWords }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/audit',
      operationId: 'listAuditRecords',
      summary: '操作留痕查询：按操作人、动作、对象、时间筛选（本机构及下级机构的操作人），新到旧分页',
      tags: ['admin'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: AuditQuery,
      responses: { 200: { description: 'Newest first', schema: AuditPage } },
      handler: async ({ principal, query }) => {
        const entries = await audit.search({
          orgUnitIds: await scope.unitIds(principal!),
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
      },
    }),
  ];
}
