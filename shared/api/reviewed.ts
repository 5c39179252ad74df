import { z } from 'zod';
import { numberedPageOf } from '../contracts/paging';
import { IdParams } from '../contracts/common';
import {
  AuditEntry,
  BULK_BODY_BYTES,
  BulkUploadJson,
  bulkUploadOf,
  BulkUploadQuery,
  BulkUploadResult,
  OptionalReason,
  ReviewDecision,
  ReviewedListQuery,
} from '../contracts/review';
import { Role } from '../roles';
import { linksTo, type Endpoint } from './endpoint';

const STAFF_READERS = [Role.ADMIN, Role.REVIEWER] as const;
const ADMINS = [Role.ADMIN] as const;
const REVIEWERS = [Role.REVIEWER] as const;

function shape<const One extends string, const Many extends string, I extends z.ZodType, A extends z.ZodType>(spec: {
  path: string;
  tag: string;
  /** Operation names: { one: 'Activity', many: 'Activities' }. */
  noun: { one: One; many: Many };
  label: string;
  input: I;
  admin: A;
  csvNote: string;
  /** Operations of other capabilities that take this kind's id as their `id` (an item's stock, a draw's stats). */
  usedBy?: readonly string[];
}) {
  const { path, noun, label } = spec;
  const tags = [spec.tag];
  const uses = (id: string) => linksTo([...['get', 'update', 'submit', 'withdraw'].map((verb) => `${verb}${noun.one}`), `get${noun.one}History`, ...(spec.usedBy ?? [])], { id });
  const op = <const E extends Omit<Endpoint, 'tags'>>(e: E) => ({ ...e, tags });
  return {
    create: op({
      method: 'post',
      path,
      operationId: `create${noun.one}`,
      summary: `创建${label}（草稿）`,
      access: ADMINS,
      body: spec.input,
      responses: { 201: { description: 'Created as a draft', schema: spec.admin, links: uses('$response.body#/id') } },
    }),
    list: op({
      method: 'get',
      path,
      operationId: `list${noun.many}`,
      summary: `本机构及下级机构的${label}（按状态、类型、机构、时间、编码或标题筛选，分页）`,
      access: STAFF_READERS,
      query: ReviewedListQuery,
      responses: { 200: { description: 'One page, by code', schema: numberedPageOf(spec.admin), links: uses('$response.body#/items/0/id') } },
    }),
    get: op({
      method: 'get',
      path: `${path}/:id`,
      operationId: `get${noun.one}`,
      summary: `${label}详情（含线上版本与待审版本）`,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'The document', schema: spec.admin } },
    }),
    update: op({
      method: 'put',
      path: `${path}/:id`,
      operationId: `update${noun.one}`,
      summary: `修改${label}：生成新版本，已发布版本在审核通过前继续生效；编码（code）与类型（type）创建后不可修改（422 REVIEW_IMMUTABLE_FIELD）`,
      access: ADMINS,
      params: IdParams,
      body: spec.input,
      responses: { 200: { description: 'A new draft revision', schema: spec.admin } },
    }),
    submit: op({
      method: 'post',
      path: `${path}/:id/submit`,
      operationId: `submit${noun.one}`,
      summary: '提交消保审核（先做禁用词检查）',
      access: ADMINS,
      params: IdParams,
      responses: { 200: { description: 'Pending review', schema: spec.admin, links: linksTo([`approve${noun.one}`, `reject${noun.one}`], { id: '$response.body#/id' }) } },
    }),
    approve: op({
      method: 'post',
      path: `${path}/:id/approve`,
      operationId: `approve${noun.one}`,
      summary: '审核通过（审核人不得为作者或提交人）',
      access: REVIEWERS,
      params: IdParams,
      body: OptionalReason,
      responses: { 200: { description: 'Approved', schema: spec.admin } },
    }),
    reject: op({
      method: 'post',
      path: `${path}/:id/reject`,
      operationId: `reject${noun.one}`,
      summary: '审核驳回，退回草稿并注明原因',
      access: REVIEWERS,
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Back to draft', schema: spec.admin } },
    }),
    withdraw: op({
      method: 'post',
      path: `${path}/:id/withdraw`,
      operationId: `withdraw${noun.one}`,
      summary: `下线已发布的${label}`,
      access: ADMINS,
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Withdrawn', schema: spec.admin } },
    }),
    history: op({
      method: 'get',
      path: `${path}/:id/history`,
      operationId: `get${noun.one}History`,
      summary: `${label}全部变更记录（操作人、时间、原因、差异）`,
      access: STAFF_READERS,
      params: IdParams,
      responses: { 200: { description: 'Oldest first', schema: z.object({ items: z.array(AuditEntry) }) } },
    }),
    bulk: op({
      method: 'post',
      path: `${path}/bulk`,
      operationId: `bulkUpload${noun.many}`,
      summary: `批量上传${label}（JSON），按编码幂等；任一行有误则全部不保存`,
      access: ADMINS,
      query: BulkUploadQuery,
      body: BulkUploadJson,
      documentedBody: bulkUploadOf(spec.input),
      maxBodyBytes: BULK_BODY_BYTES,
      responses: { 200: { description: 'What changed, or with dryRun what would', schema: BulkUploadResult } },
    }),
    bulkCsv: op({
      method: 'post',
      path: `${path}/bulk-csv`,
      operationId: `bulkUpload${noun.many}Csv`,
      summary: `批量上传${label}（CSV，UTF-8，可带 BOM；${spec.csvNote}）`,
      access: ADMINS,
      query: BulkUploadQuery,
      textBody: 'text/csv',
      responses: { 200: { description: 'What changed, or with dryRun what would', schema: BulkUploadResult } },
    }),
  };
}

/** The admin and reviewer operations of one reviewed kind, by verb; each named after its kind (create → createActivity). */
export type ReviewedOperations<One extends string = string, Many extends string = string, I extends z.ZodType = z.ZodType, A extends z.ZodType = z.ZodType> = ReturnType<
  typeof shape<One, Many, I, A>
>;

/**
 * The admin and reviewer operations of one reviewed kind (maker-checker documents), by verb,
 * named after it: createActivity, listActivities, approveMallItem… Spread into a capability's
 * operations with `byOperationId`; the BFF binds its handlers by verb.
 */
export const reviewedOperations = shape;

/** Operations keyed by their operationId, as shared/api/all.ts lists them. */
export function byOperationId<T extends Record<string, { operationId: string }>>(operations: T): { [V in keyof T as T[V]['operationId']]: T[V] } {
  return Object.fromEntries(Object.values(operations).map((e) => [e.operationId, e])) as never;
}
