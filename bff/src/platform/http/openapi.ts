import { z } from 'zod';
import { ErrorBody } from '../../../../shared/contracts/common';
import { BANK_HEADERS } from '../auth/bank-signature';
import type { RouteSpec } from './routes';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // OpenAPI 3.1 uses JSON Schema 2020-12, which is what zod emits.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

const BANK_SIGNED = { bankSignature: [], bankTimestamp: [], bankNonce: [] };

export function buildOpenApiDocument(routes: RouteSpec[], info: { title: string; version: string; basePath: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = info.basePath + openApiPath(route.path);
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema) } } } : {}),
      };
    }
    responses.default = { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody) } } };
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      // Routes that authenticate their raw body are the bank systems' signed calls.
      ...(route.authenticate ? { security: [BANK_SIGNED] } : route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      ...(route.textBody ? { requestBody: { required: true, content: { [route.textBody]: { schema: { type: 'string' } } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: '/' }],
    components: {
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
