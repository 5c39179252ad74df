import { z } from 'zod';
import { AuditEntry, BULK_BODY_BYTES, BulkUploadJson, bulkUploadOf, BulkUploadQuery, BulkUploadResult, OptionalReason, ReviewDecision, ReviewedListQuery } from '../../../shared/contracts/review';
import { numberedPageOf } from '../../../shared/contracts/paging';
import { Role } from '../../../shared/roles';
import { csvRecords } from '../platform/csv';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { ReviewedContent } from './repository';
import type { ReviewWorkflow } from './workflow';

const STAFF_READERS = [Role.ADMIN, Role.REVIEWER] as const;

/** The admin and reviewer endpoints of one reviewed kind, named after it (createActivity, approveMallItem…). */
export function reviewedAdminRoutes<C extends ReviewedContent, X extends object>(spec: {
  service: ReviewWorkflow<C, X>;
  path: string;
  tag: string;
  /** Operation names: { one: 'Activity', many: 'Activities' }. */
  noun: { one: string; many: string };
  label: string;
  input: z.ZodType;
  admin: z.ZodType;
  csvRow: (record: Record<string, string>) => unknown;
  csvNote: string;
  /** Operations of other folders that take this kind's id as their `id` (an item's stock, a draw's stats). */
  usedBy?: readonly string[];
}) {
  const { service, path, noun, label } = spec;
  const tags = [spec.tag];
  const uses = (id: string) => linksTo([...['get', 'update', 'submit', 'withdraw'].map((verb) => `${verb}${noun.one}`), `get${noun.one}History`, ...(spec.usedBy ?? [])], { id });
  return [
    defineRoute({
      method: 'post',
      path,
      operationId: `create${noun.one}`,
      summary: `创建${label}（草稿）`,
      tags,
      access: [Role.ADMIN],
      body: spec.input,
      responses: { 201: { description: 'Created as a draft', schema: spec.admin, links: uses('$response.body#/id') } },
      handler: ({ principal, body }) => service.create(principal!, body as C),
    }),
    defineRoute({
      method: 'get',
      path,
      operationId: `list${noun.many}`,
      summary: `本机构及下级机构的${label}（按状态、类型、机构、时间、编码或标题筛选，分页）`,
      tags,
      access: STAFF_READERS,
      query: ReviewedListQuery,
      responses: { 200: { description: 'One page, by code', schema: numberedPageOf(spec.admin), links: uses('$response.body#/items/0/id') } },
      handler: ({ principal, query }) => service.listPage(principal!, query),
    }),
    defineRoute({
      method: 'get',
      path: `${path}/:id`,
      operationId: `get${noun.one}`,
      summary: `${label}详情（含线上版本与待审版本）`,
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'The document', schema: spec.admin } },
      handler: ({ principal, params }) => service.get(principal!, params.id),
    }),
    defineRoute({
      method: 'put',
      path: `${path}/:id`,
      operationId: `update${noun.one}`,
      summary: `修改${label}：生成新版本，已发布版本在审核通过前继续生效；编码（code）与类型（type）创建后不可修改（422 REVIEW_IMMUTABLE_FIELD）`,
      tags,
      access: [Role.ADMIN],
      params: IdParams,
      body: spec.input,
      responses: { 200: { description: 'A new draft revision', schema: spec.admin } },
      handler: ({ principal, params, body }) => service.update(principal!, params.id, body as C),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/:id/submit`,
      operationId: `submit${noun.one}`,
      summary: '提交消保审核（先做禁用词检查）',
      tags,
      access: [Role.ADMIN],
      params: IdParams,
      responses: { 200: { description: 'Pending review', schema: spec.admin, links: linksTo([`approve${noun.one}`, `reject${noun.one}`], { id: '$response.body#/id' }) } },
      handler: ({ principal, params }) => service.submit(principal!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/:id/approve`,
      operationId: `approve${noun.one}`,
      summary: '审核通过（审核人不得为作者或提交人）',
      tags,
      access: [Role.REVIEWER],
      params: IdParams,
      body: OptionalReason,
      responses: { 200: { description: 'Approved', schema: spec.admin } },
      handler: ({ principal, params, body }) => service.approve(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/:id/reject`,
      operationId: `reject${noun.one}`,
      summary: '审核驳回，退回草稿并注明原因',
      tags,
      access: [Role.REVIEWER],
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Back to draft', schema: spec.admin } },
      handler: ({ principal, params, body }) => service.reject(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/:id/withdraw`,
      operationId: `withdraw${noun.one}`,
      summary: `下线已发布的${label}`,
      tags,
      access: [Role.ADMIN],
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Withdrawn', schema: spec.admin } },
      handler: ({ principal, params, body }) => service.withdraw(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'get',
      path: `${path}/:id/history`,
      operationId: `get${noun.one}History`,
      summary: `${label}全部变更记录（操作人、时间、原因、差异）`,
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'Oldest first', schema: z.object({ items: z.array(AuditEntry) }) } },
      handler: async ({ principal, params }) => ({ items: await service.history(principal!, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/bulk`,
      operationId: `bulkUpload${noun.many}`,
      summary: `批量上传${label}（JSON），按编码幂等；任一行有误则全部不保存`,
      tags,
      access: [Role.ADMIN],
      query: BulkUploadQuery,
      body: BulkUploadJson,
      documentedBody: bulkUploadOf(spec.input),
      maxBodyBytes: BULK_BODY_BYTES,
      responses: { 200: { description: 'What changed, or with dryRun what would', schema: BulkUploadResult } },
      handler: ({ principal, body, query }) => service.bulkUpload(principal!, body.items, { dryRun: query.dryRun === 'true' }),
    }),
    defineRoute({
      method: 'post',
      path: `${path}/bulk-csv`,
      operationId: `bulkUpload${noun.many}Csv`,
      summary: `批量上传${label}（CSV，UTF-8，可带 BOM；${spec.csvNote}）`,
      tags,
      access: [Role.ADMIN],
      query: BulkUploadQuery,
      textBody: 'text/csv',
      responses: { 200: { description: 'What changed, or with dryRun what would', schema: BulkUploadResult } },
      handler: ({ principal, ctx, query }) =>
        service.bulkUpload(principal!, csvRecords((ctx.request as { body?: string }).body ?? '').map(spec.csvRow), { dryRun: query.dryRun === 'true' }),
    }),
  ];
}
