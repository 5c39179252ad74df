import type { z } from 'zod';
import { discriminatorOf, typeOf, unionOptions, type JsonSchema } from './json-schema';
import { FIELD_UNITS } from './labels';

type Issue = { path: PropertyKey[]; code: string; message: string };

/** A union as the value before it chose it: the option its discriminator names; a union of strings (an image) as a string. */
function chosen(node: JsonSchema, value: unknown): JsonSchema | undefined {
  const options = unionOptions(node);
  if (!options) return node;
  if (options.every((o) => typeOf(o) === 'string')) return options[0];
  const key = discriminatorOf(options);
  if (!key) return node;
  return options.find((o) => o.properties?.[key]?.const === (value as Record<string, unknown> | undefined)?.[key]);
}

/** The schema of the field at `path` in this document: through the union options its values choose, lists and objects. */
export function fieldSchema(schema: JsonSchema, value: unknown, path: readonly PropertyKey[]): JsonSchema | undefined {
  let node = chosen(schema, value);
  let here = value;
  for (const step of path) {
    if (!node) return undefined;
    here = (here as Record<PropertyKey, unknown> | undefined)?.[step as string];
    const next: JsonSchema | undefined = typeof step === 'number' ? node.items : node.properties?.[String(step)];
    node = next && chosen(next, here);
  }
  return node;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
const fieldKey = (path: readonly PropertyKey[]) => String([...path].reverse().find((p) => typeof p === 'string') ?? '');

/**
 * What to type in a field, said from its own schema: 必填，请输入 1–40 个字; 请输入 0–50 之间的整数.
 * Only for a field's size, type and emptiness; a rule's own message (结束时间必须晚于开始时间) stands.
 */
function whatToType(node: JsonSchema, path: readonly PropertyKey[], empty: boolean): string | undefined {
  const type = typeOf(node);
  const lead = empty ? '必填，' : '';
  if (node.enum || node.const !== undefined) return `${lead}请选择`;
  if (type === 'string') {
    if (node.format === 'date-time') return `${lead}请选择日期和时间`;
    if (node.maxLength !== undefined) return `${lead}请输入 ${Math.max(node.minLength ?? 1, 1)}–${node.maxLength} 个字`;
    return empty ? '必填' : undefined;
  }
  if (type === 'integer' || type === 'number') {
    const unit = FIELD_UNITS[fieldKey(path)];
    const kind = type === 'integer' ? '整数' : '数';
    const max = node.maximum !== undefined && node.maximum < 1e15 ? node.maximum : undefined;
    if (node.minimum !== undefined && max !== undefined) return `${lead}请输入 ${node.minimum}–${max} 之间的${kind}${unit ? `（${unit}）` : ''}`;
    if (node.minimum !== undefined) return `${lead}请输入不小于 ${node.minimum} 的${kind}${unit ? `（${unit}）` : ''}`;
    return `${lead}请输入${kind}`;
  }
  if (type === 'array' && node.minItems !== undefined) return `${lead}请至少填写 ${node.minItems} 项`;
  if (empty) return type === 'object' ? '必填，请填写完整' : '必填';
  return undefined;
}

const SHAPE_CODES = new Set(['invalid_type', 'too_small', 'too_big']);

/**
 * The schema's issues as the editor reads them: one per field (the first: an empty title is not
 * also "only spaces"), each saying what to type there.
 */
export function describeIssues(schema: JsonSchema, values: unknown, issues: readonly z.core.$ZodIssue[] | readonly Issue[]): { path: string; message: string }[] {
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const issue of issues as readonly Issue[]) {
    const path = issue.path.map(String).join('.');
    if (seen.has(path)) continue;
    seen.add(path);
    const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p as string], values);
    const empty = isEmpty(value);
    const node = fieldSchema(schema, values, issue.path);
    if (node && empty && typeOf(node) === 'object' && node.required?.length) {
      // A part left out entirely (活动时间): each of its fields says what it needs, under that field.
      out.push(...missingFields(node, issue.path));
      continue;
    }
    const better = node && (SHAPE_CODES.has(issue.code) || empty) ? whatToType(node, issue.path, empty) : undefined;
    out.push({ path, message: better ?? issue.message });
  }
  return out;
}

/** The fields an object needs when none of it is filled in: its required ones without a default, and theirs. */
function missingFields(node: JsonSchema, path: readonly PropertyKey[]): { path: string; message: string }[] {
  return (node.required ?? []).flatMap((key) => {
    const child = node.properties?.[key];
    if (!child || child.default !== undefined || child.const !== undefined) return [];
    const at = [...path, key];
    if (typeOf(child) === 'object' && child.required?.length) return missingFields(child, at);
    return [{ path: at.map(String).join('.'), message: whatToType(child, at, true) ?? '必填' }];
  });
}
