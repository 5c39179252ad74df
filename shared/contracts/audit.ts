import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { AuditPage, AuditQuery, BannedWords } from './review';

export const auditApi = endpoints({
  listBannedWords: {
    method: 'get',
    path: '/admin/banned-words',
    operationId: 'listBannedWords',
    summary: '金融营销禁用词（提交审核前检查；管理台在审核差异中标出）',
    tags: ['admin'],
    access: [Role.ADMIN, Role.REVIEWER],
    responses: { 200: { description: 'The configured list', schema: BannedWords } },
  },
  listAuditRecords: {
    method: 'get',
    path: '/admin/audit',
    operationId: 'listAuditRecords',
    summary: '操作留痕查询：按操作人、动作、对象、时间筛选（本机构及下级机构的操作人），新到旧分页',
    tags: ['admin'],
    access: [Role.ADMIN, Role.REVIEWER],
    query: AuditQuery,
    responses: { 200: { description: 'Newest first', schema: AuditPage } },
  },
});
