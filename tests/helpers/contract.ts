import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

/**
 * Every response a test receives is checked against the OpenAPI document the BFF serves:
 * the operation is found by method and path, its response by status (or `default`), and the
 * JSON body validated with a JSON Schema 2020-12 validator. A mismatch throws, failing the test.
 */
export type ContractChecker = (method: string, url: string, status: number, contentType: string | null, body: unknown) => void;

const documents = new Map<string, Promise<ContractChecker>>();

/** The checker of the BFF at `origin`, built once from its own /api/v1/openapi.json. */
export function contractOf(origin: string): Promise<ContractChecker> {
  let checker = documents.get(origin);
  if (!checker) {
    checker = fetch(`${origin}/api/v1/openapi.json`).then(async (res) => buildChecker((await res.json()) as Document));
    documents.set(origin, checker);
  }
  return checker;
}

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function buildChecker(doc: Document): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (ref: string) => {
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.getSchema(ref)!;
      compiled.set(ref, validate);
    }
    return validate;
  };

  return (method, url, status, contentType, body) => {
    const path = new URL(url).pathname;
    const lower = method.toLowerCase();
    const template = templates.find((t) => t.pattern.test(path) && doc.paths[t.template][lower])?.template;
    // An undeclared path or method is answered with the error body.
    const where = template ? ['paths', template, lower, 'responses'] : null;
    const responses = template ? doc.paths[template][lower].responses : null;
    const key = responses ? (responses[String(status)] ? String(status) : 'default') : null;
    if (status === 204 || status === 304 || lower === 'head' || lower === 'options') return;
    if (!where || !key) {
      if (status < 400) throw new Error(`contract: ${method} ${path} answered ${status} but the document has no such operation`);
      const validate = validatorAt('openapi#/components/schemas/ErrorBody');
      if (!validate(body)) throw new Error(`contract: ${method} ${path} ${status} error body: ${ajv.errorsText(validate.errors)}`);
      return;
    }
    const documented = responses![key];
    const media = contentType?.split(';')[0].trim() ?? '';
    if (!documented.content) return;
    if (!documented.content[media])
      throw new Error(`contract: ${method} ${path} ${status} answered ${media || 'no content type'}; documented ${Object.keys(documented.content).join(', ')}`);
    if (!media.endsWith('json') || documented.content[media].schema === undefined) return;
    const validate = validatorAt(`openapi#/${pointer(...where, key, 'content', media, 'schema')}`);
    if (!validate(body)) throw new Error(`contract: ${method} ${path} ${status} does not match its documented schema: ${ajv.errorsText(validate.errors)}`);
  };
}

/** fetch, with the response checked against the document of the BFF it went to; the body as parsed JSON (or text). */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the caller sees the text
  }
  (await contractOf(new URL(url).origin))(init.method ?? 'GET', url, res.status, res.headers.get('Content-Type'), body);
  return { status: res.status, body, headers: res.headers };
}
