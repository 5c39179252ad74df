import type { z } from 'zod';
import type { BulkUploadResult } from '@shared/contracts/review';
import type { Principal } from '@/platform/auth/principal';
import { AppError, type FieldIssue } from '@/platform/errors';
import { dropProtoKeys, toFieldIssues } from '@/platform/http/routes';
import type { ReviewedContent, ReviewedRepository, ReviewedView } from './repository';

/**
 * Creates or updates many documents keyed by the bank's code. Every row is validated first
 * and every problem reported at once; one bad row saves nothing, and a file with no rows is
 * refused like an empty list. Rows equal to what is stored change nothing, so uploading the
 * same file twice is a no-op. A dry run does all the checks and reports each row's outcome,
 * saving nothing: the console's preview before the upload.
 */
export function createBulkUpload<C extends ReviewedContent, X extends object>(deps: {
  schema: z.ZodType<C>;
  label: string;
  repository: Pick<ReviewedRepository<C, X>, 'idForCode' | 'findView'>;
  scope(principal: Principal): Promise<string[]>;
  create(principal: Principal, input: C): Promise<{ id: string }>;
  update(principal: Principal, id: string, input: C): Promise<unknown>;
}) {
  const { label } = deps;
  return async (principal: Principal, rows: unknown[], options: { dryRun?: boolean } = {}): Promise<BulkUploadResult> => {
    if (rows.length === 0) throw new AppError('BULK_UPLOAD_INVALID', { issues: [{ path: 'items', message: `没有${label}数据行（第一行须为表头）` }] });
    const issues: FieldIssue[] = [];
    const parsed: { input: C; existing: ReviewedView<C, X> | null }[] = [];
    const units = await deps.scope(principal);
    const seen = new Set<string>();
    for (const [i, row] of rows.entries()) {
      const result = deps.schema.safeParse(row);
      if (!result.success) {
        issues.push(...toFieldIssues(result.error, `items.${i}`));
        continue;
      }
      const input = result.data;
      if (seen.has(input.code)) issues.push({ path: `items.${i}.code`, message: `同一文件中${label}编码重复` });
      seen.add(input.code);
      if (!units.includes(input.orgUnitId)) issues.push({ path: `items.${i}.orgUnitId`, message: `只能为本机构或下级机构上传${label}` });
      const id = await deps.repository.idForCode(input.code);
      const existing = id ? await deps.repository.findView(id) : null;
      if (existing && !units.includes(existing.orgUnitId)) issues.push({ path: `items.${i}.code`, message: `${label}编码已被其他机构使用` });
      if (existing && existing.type !== input.type) issues.push({ path: `items.${i}.type`, message: `${label}类型创建后不可修改` });
      parsed.push({ input, existing });
    }
    if (issues.length) throw new AppError('BULK_UPLOAD_INVALID', { issues });

    const dryRun = options.dryRun ?? false;
    const result: BulkUploadResult = { created: 0, updated: 0, unchanged: 0, dryRun, rows: [] };
    for (const [index, { input, existing }] of parsed.entries()) {
      const action = !existing ? 'create' : JSON.stringify(existing.workingContent ?? existing.live) === JSON.stringify(input) ? 'unchanged' : 'update';
      if (action === 'create') result.created += 1;
      else if (action === 'update') result.updated += 1;
      else result.unchanged += 1;
      // The document's id, so the batch can be submitted for review as one: a new one's once it is made.
      let id = existing?._id ?? null;
      if (!dryRun && action === 'create') id = ((await deps.create(principal, input)) as { id: string }).id;
      else if (!dryRun && action === 'update') await deps.update(principal, existing!._id, input);
      result.rows.push({ index, code: input.code, action, id });
    }
    return result;
  };
}

/** A CSV row to a document: columns are dotted paths; the named columns hold JSON or numbers. */
export function csvRowReader(columns: { json: ReadonlySet<string>; numbers: ReadonlySet<string> }) {
  return (record: Record<string, string>): unknown => {
    const out: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(record)) {
      const value = raw.trim();
      if (value === '') continue;
      let parsed: unknown = value;
      if (columns.json.has(column)) {
        try {
          parsed = JSON.parse(value, dropProtoKeys);
        } catch {
          // left as text: validation then names the column
        }
      } else if (columns.numbers.has(column) && /^-?\d+(\.\d+)?$/.test(value)) {
        parsed = Number(value);
      }
      setPath(out, column.split('.'), parsed);
    }
    return out;
  };
}

/** Names no contract has that would reach an object's prototype: such a column is not written. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Sets `a.b.c` in the row; a path through a cell that is not an object (`reward` and `reward.kind`) keeps the first. */
function setPath(out: Record<string, unknown>, path: string[], value: unknown): void {
  if (path.some((key) => PROTOTYPE_KEYS.has(key))) return;
  let target = out;
  for (const key of path.slice(0, -1)) {
    if (!Object.hasOwn(target, key)) target[key] = {};
    const next = target[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
    target = next as Record<string, unknown>;
  }
  target[path[path.length - 1]] = value;
}
