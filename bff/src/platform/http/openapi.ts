import { z } from 'zod';
import { ErrorBody } from '@shared/contracts/common';
import { browsableBeforeConsent } from '@shared/privacy';
import { Role } from '@shared/roles';
import { BANK_HEADERS } from '@shared/signed-requests';
import type { RouteSpec } from './routes';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const DEFS_REF = '#/$defs/';
const COMPONENTS_REF = '#/components/schemas/';

function rewriteRefs(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    out[key] = key === '$ref' && typeof v === 'string' && v.startsWith(DEFS_REF) ? COMPONENTS_REF + rename(v.slice(DEFS_REF.length)) : rewriteRefs(v, rename);
  }
  return out;
}

/**
 * The document's `components/schemas`. Each zod schema converts on its own, with its named parts
 * (`.meta({ id })`) and recursive parts under `$defs`; those are lifted into the components and
 * every reference points there, so it resolves from anywhere in the document. A request may
 * accept a shape its response does not show (defaults, transforms), so a named part seen as
 * input is stored as `<id>Input`.
 */
function createComponents() {
  const schemas: Record<string, unknown> = {};

  function place(name: string, schema: unknown) {
    const existing = schemas[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    }
    schemas[name] = schema;
  }

  return {
    schemas,
    /** The JSON Schema of `schema`, its shared parts placed in the components; `owner` names its anonymous parts. */
    convert(schema: z.ZodType, io: Io, owner: string): Json {
      const { $schema: _dialect, $defs = {}, ...root } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json & { $defs?: Json };
      const rename = (name: string) => (name.startsWith('__schema') ? `${owner}${name.slice('__schema'.length)}` : io === 'input' ? `${name}Input` : name);
      for (const [name, def] of Object.entries($defs)) place(rename(name), rewriteRefs(def, rename));
      return rewriteRefs(root, rename) as Json;
    },
  };
}

function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const BANK_SIGNED = { bankSignature: [], bankTimestamp: [], bankNonce: [] };

export type RouteGroup = { basePath: string; routes: RouteSpec[] };

type Operation = { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, { links?: RouteSpec['responses'][number]['links'] }> };

/** A link must name an operation of this document and only path parameters it has, and give all of them. */
function checkLinks(paths: Record<string, Record<string, unknown>>) {
  const operations = new Map<string, Operation>();
  for (const ops of Object.values(paths)) for (const op of Object.values(ops) as Operation[]) operations.set(op.operationId, op);
  for (const op of operations.values()) {
    for (const [status, response] of Object.entries(op.responses)) {
      for (const [name, link] of Object.entries(response.links ?? {})) {
        const target = operations.get(link.operationId);
        const where = `OpenAPI: link ${name} of ${op.operationId} ${status}`;
        if (!target) throw new Error(`${where} names no operation`);
        const pathParams = target.parameters
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        if (JSON.stringify(Object.keys(link.parameters).sort()) !== JSON.stringify(pathParams)) throw new Error(`${where} must give exactly ${pathParams.join(', ')}`);
      }
    }
  }
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function buildOpenApiDocument(groups: RouteGroup[], info: { title: string; version: string }) {
  const components = createComponents();
  const errorBody = components.convert(ErrorBody, 'output', 'ErrorBody');
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

  /** A response's content: its schema as JSON, or media types without one (pictures). */
  function contentOf(r: RouteSpec['responses'][number], owner: string) {
    const types = [r.contentType ?? 'application/json'].flat();
    return Object.fromEntries(types.map((t) => [t, r.schema ? { schema: components.convert(r.schema, 'output', owner) } : {}]));
  }

  function parameters(schema: z.ZodType | undefined, where: 'query' | 'path' | 'header', owner: string) {
    if (!schema) return [];
    const js = components.convert(schema, 'input', owner) as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(js.properties ?? {}).map(([name, s]) => {
      const { description, ...rest } = s;
      return {
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      };
    });
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const { basePath, routes } of groups) {
    for (const route of routes) {
      const path = basePath + openApiPath(route.path);
      const owner = capitalised(route.operationId);
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(route.responses)) {
        responses[status] =
          !r.schema && Number(status) >= 400
            ? errorResponse(r.description)
            : {
                description: r.description,
                ...(r.schema || r.contentType ? { content: contentOf(r, `${owner}${status}`) } : {}),
                ...(r.links ? { links: r.links } : {}),
              };
      }
      if (route.access !== 'public') {
        responses['401'] ??= errorResponse('Not signed in, or the token is expired or invalid');
        const consentGated = route.access.includes(Role.CUSTOMER) && !browsableBeforeConsent(route.method, route.path);
        responses['403'] ??= errorResponse(
          consentGated
            ? 'Signed in without a role this operation allows; or a customer who has not agreed to the privacy policy in force (PRIVACY_CONSENT_REQUIRED) or has asked for their data to be deleted (PRIVACY_DELETION_REQUESTED)'
            : 'Signed in without a role this operation allows',
        );
      }
      if (route.authenticate) responses['401'] ??= errorResponse('Missing, stale, replayed or wrong signature');
      if (route.body || route.query || route.params || route.headers || route.textBody) responses['400'] ??= errorResponse('The request does not match this document');
      if (route.maxBodyBytes) responses['413'] ??= errorResponse(`A body over ${route.maxBodyBytes} bytes`);
      responses.default = errorResponse('Error');
      paths[path] ??= {};
      paths[path][route.method] = {
        operationId: route.operationId,
        summary: route.summary,
        tags: route.tags,
        // Routes that authenticate their raw body are the bank systems' signed calls.
        ...(route.authenticate ? { security: [BANK_SIGNED] } : route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
        parameters: [
          ...parameters(route.params, 'path', `${owner}Path`),
          ...parameters(route.query, 'query', `${owner}Query`),
          ...parameters(route.headers, 'header', `${owner}Headers`),
        ],
        // A body whose every field is optional may be left out (it is read as {}): the document says so.
        ...(route.body && !route.textBody
          ? {
              requestBody: {
                required: !route.body.safeParse({}).success,
                content: { 'application/json': { schema: components.convert(route.documentedBody ?? route.body, 'input', `${owner}Body`) } },
              },
            }
          : {}),
        ...(route.textBody ? { requestBody: { required: true, content: { [route.textBody]: { schema: { type: 'string', minLength: 1 } } } } } : {}),
        responses,
      };
    }
  }
  checkLinks(paths);
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: '/' }],
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        bankSignature: {
          type: 'apiKey',
          in: 'header',
          name: BANK_HEADERS.signature,
          description: 'Hex HMAC-SHA256 with the shared secret of METHOD\\nPATH (with query)\\nTIMESTAMP\\nNONCE\\nRAW_BODY',
        },
        bankTimestamp: { type: 'apiKey', in: 'header', name: BANK_HEADERS.timestamp, description: 'Unix seconds, within five minutes of the server clock' },
        bankNonce: { type: 'apiKey', in: 'header', name: BANK_HEADERS.nonce, description: '16-64 characters [A-Za-z0-9_-], each used once' },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
