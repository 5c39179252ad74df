import { z } from 'zod';

/** The part of JSON Schema that zod's `toJSONSchema` emits for our contracts. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  description?: string;
  default?: unknown;
};

/** The form's source of truth: the shared zod schema as JSON Schema, as the client sends it (input side). */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** For a union whose options are told apart by one constant property (`type`, `kind`, `mode`): that property. */
export function discriminatorOf(options: JsonSchema[]): string | null {
  const first = options[0]?.properties;
  if (!first) return null;
  for (const key of Object.keys(first)) {
    if (options.every((o) => o.properties?.[key]?.const !== undefined)) return key;
  }
  return null;
}

/**
 * The alternatives of a union. An object with properties of its own is no union even with a `oneOf`: there the
 * `oneOf` only says which of its fields go together (a quiz has questions or a bank), and its fields are edited.
 */
export const unionOptions = (s: JsonSchema): JsonSchema[] | null => (s.properties ? null : (s.oneOf ?? s.anyOf ?? null));
/** A union of plain strings (an image given as a URL or a media path) is one text field. */
export const isStringUnion = (s: JsonSchema) => !!unionOptions(s)?.every((o) => o.type === 'string');
/** A picture's address (ImageRef in shared/contracts/media.ts): an https address or one of the BFF's own under /media/. */
export const isImageRef = (s: JsonSchema) => isStringUnion(s) && !!unionOptions(s)?.some((o) => o.pattern?.replaceAll('\\/', '/').startsWith('^/media/'));
export const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

const empty = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * What the form holds, reduced to what the schema describes: fields of a union option no
 * longer chosen are dropped, and so are empty optional values, so the document sent is the
 * one the editor sees.
 */
export function prune(s: JsonSchema, value: unknown): unknown {
  if (s.$ref) return value;
  const options = unionOptions(s);
  if (options && !isStringUnion(s)) {
    const key = discriminatorOf(options);
    if (!key || typeof value !== 'object' || value === null) return value;
    const chosen = options.find((o) => o.properties![key].const === (value as Record<string, unknown>)[key]);
    return chosen ? prune(chosen, value) : undefined;
  }
  const type = typeOf(s);
  if (type === 'object' && s.properties) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(s.properties)) {
      const v = child.const !== undefined ? child.const : prune(child, (value as Record<string, unknown>)[key]);
      if (!empty(v) || (s.required?.includes(key) && v !== undefined && v !== '')) out[key] = v;
    }
    return out;
  }
  if (type === 'array' && Array.isArray(value) && s.items) return value.map((item) => prune(s.items!, item)).filter((v) => v !== undefined);
  if (typeof value === 'string' && value === '') return undefined;
  return value;
}

/**
 * A question with choices (`options` of `{ id, text }` and an `answer` naming the right ones by id): edited as one
 * list of options with the right ones ticked, so the answer stays with its option whatever is removed or moved.
 */
export const isChoiceQuestion = (s: JsonSchema): boolean => {
  const option = s.properties?.options?.items?.properties;
  return !!option?.id && !!option.text && !!s.properties?.answer;
};
