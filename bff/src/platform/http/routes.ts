import type Router from '@koa/router';
import { answeringAfter } from '../alongside';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { browsableBeforeConsent } from '@shared/privacy';
import { Role } from '@shared/roles';
import { AppError, type FieldIssue } from '../errors';
import { requireAuth, type CurrentStaff, type Principal } from '../auth/principal';
import type { Endpoint, ParsedRequestOf } from '@shared/api/endpoint';
import type { TokenService } from '../auth/tokens';
import type { Logger } from '../logger';
import { describeError } from './middleware';

type Schema = z.ZodType;

export type { Access, ResponseLinks } from '@shared/api/endpoint';
export { linksTo } from '@shared/api/endpoint';

/** Who is calling, as far as the route's access lets it be known: a public route may have nobody. */
type PrincipalFor<E extends Endpoint> = E['access'] extends 'public' ? Principal | null : Principal;

type RouteInput<E extends Endpoint> = ParsedRequestOf<E> & {
  principal: PrincipalFor<E>;
  /**
   * Whether the caller may be recorded, tracked and attributed: true for staff and for a
   * customer who has agreed to the privacy policy in force. A customer without consent reaches
   * only the routes in shared/privacy.ts `BROWSE_BEFORE_CONSENT`, which must then write and
   * personalise nothing; every other customer route refuses them with PRIVACY_CONSENT_REQUIRED
   * (or PRIVACY_DELETION_REQUESTED), so a new route is closed until someone decides otherwise.
   */
  consented: boolean;
  ctx: Context;
};

/** What only the server knows of an operation, beside its handler. */
type ServerParts = {
  /**
   * For routes the contract marks `signed`: checks the caller's credentials against the raw
   * body, before anything in it is parsed.
   */
  authenticate?: (ctx: Context, rawBody: string) => Promise<void>;
  /** With `textBody`: turns the text into what `body` checks, so a CSV upload is held to its JSON twin's rules. */
  fromText?: (text: string) => unknown;
};

/** An operation of the contract with the handler that serves it. */
export type RouteSpec = Endpoint & ServerParts & { handler: (input: RouteInput<Endpoint>) => Promise<unknown> | unknown };

/**
 * Binds a handler to an operation of the contract (shared/contracts): the same zod schemas
 * validate the request and describe it in the OpenAPI document, so the docs cannot drift from
 * the code, and the handler's input is typed from them.
 */
export function implement<E extends Endpoint>(endpoint: E, handler: (input: RouteInput<E>) => Promise<unknown> | unknown, server: ServerParts = {}): RouteSpec {
  if (endpoint.signed && !server.authenticate) throw new Error(`${endpoint.operationId} is signed: give it authenticate`);
  return { ...endpoint, ...server, handler } as unknown as RouteSpec;
}

export function toFieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

type Parsed = { data: unknown; issues: FieldIssue[]; rulesOnly: boolean };

/** `rulesOnly`: every problem is a refinement (a rule across fields), none a shape the document states. */
function parsePart(schema: Schema | undefined, value: unknown, part: string): Parsed {
  if (!schema) return { data: undefined, issues: [], rulesOnly: true };
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, issues: [], rulesOnly: true };
  return { data: undefined, issues: toFieldIssues(result.error, part), rulesOnly: result.error.issues.every((i) => i.code === 'custom') };
}

const NO_QUERY = z.strictObject({});

/** A query the route does not declare is refused, not ignored: `?itemId[$ne]=1` must not widen a read. */
function strictQuery(schema: Schema | undefined): Schema {
  if (!schema) return NO_QUERY;
  return schema instanceof z.ZodObject ? schema.strict() : schema;
}

function readHeaders(ctx: Context, schema: z.ZodObject): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(schema.shape).map((name) => [name, ctx.get(name) || undefined]));
}

/**
 * What the handler returned, as its documented response: fields the schema does not name
 * (internal ids, owners) are dropped, and a shape that does not match is our bug, answered
 * 500 and logged rather than sent.
 */
function documentedBody(route: RouteSpec, status: number, result: unknown): unknown {
  const documented = route.responses[status];
  if (!documented) throw new AppError('INTERNAL', { cause: new Error(`${route.operationId} answered undocumented status ${status}`), expose: false });
  if (!documented.schema) return result;
  const parsed = documented.schema.safeParse(JSON.parse(JSON.stringify(result)));
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new AppError('INTERNAL', { cause: new Error(`${route.operationId} ${status} response does not match its schema: ${where}`), expose: false });
}

/** Reads the request body as text, refusing more than `limit` bytes. */
async function readRawBody(ctx: Context, limit: number): Promise<string> {
  if (Number(ctx.get('Content-Length') || 0) > limit) throw new AppError('PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError('PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON.parse reviver that leaves out every `__proto__` key. */
export const dropProtoKeys = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

/**
 * A JSON body as sent: an object or an array. A `__proto__` key is dropped like any other field
 * the route does not declare, so it can never reach an object's prototype.
 */
function parseJson(raw: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw, dropProtoKeys);
  } catch (err) {
    throw new AppError('BAD_JSON', { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object') throw new AppError('BAD_JSON', { message: '请求体须为 JSON 对象或数组' });
  return parsed;
}

/** The body of a route whose caller signs it: authenticated as bytes, then parsed. */
async function authenticatedBody(ctx: Context, route: RouteSpec, limit: number): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  await route.authenticate!(ctx, raw);
  if (!route.body || raw === '') return undefined;
  if (!ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  return parseJson(raw);
}

/** The JSON body of a route that takes one; a route without a body does not read it. */
async function jsonBody(ctx: Context, route: RouteSpec, limit: number): Promise<unknown> {
  if (!route.body) return undefined;
  if (ctx.request.length && !ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const raw = await readRawBody(ctx, route.maxBodyBytes ?? limit);
  return raw === '' ? undefined : parseJson(raw);
}

/** Whether a customer has agreed to the policy in force, and the refusal when they have not. */
type ConsentGate = { consented(customerId: string): Promise<boolean>; refusal(customerId: string): Promise<AppError> };

type MountOptions = {
  tokens: TokenService;
  currentStaff: CurrentStaff;
  consent: ConsentGate;
  /** Parses CSV bodies, after the caller is known (JSON bodies are read here, see `jsonBody`). */
  bodyParser: Middleware;
  bodyLimitBytes: number;
  logger: Logger;
};

export function mountRoutes(router: Router, routes: RouteSpec[], options: MountOptions): void {
  for (const route of routes) {
    const handle: Middleware = async (ctx) => {
      // Who is calling is settled before any of the body is read.
      const principal = route.access === 'public' ? null : await requireAuth(ctx, options, route.access);
      let consented = true;
      if (principal?.role === Role.CUSTOMER) {
        consented = await options.consent.consented(principal.id);
        if (!consented && !browsableBeforeConsent(route.method, route.path)) throw await options.consent.refusal(principal.id);
      }
      let rawBody: unknown;
      if (route.authenticate) rawBody = await authenticatedBody(ctx, route, options.bodyLimitBytes);
      else if (route.textBody) {
        await options.bodyParser(ctx, async () => undefined);
        rawBody = (ctx.request as { body?: unknown }).body;
      } else rawBody = await jsonBody(ctx, route, options.bodyLimitBytes);
      if (route.textBody && (!ctx.is(route.textBody) || typeof rawBody !== 'string')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const body = !route.textBody
        ? parsePart(route.body, rawBody ?? {}, 'body')
        : route.fromText
          ? // Any text is the documented shape: what its rows break are rules the document cannot state (422).
            { ...parsePart(route.body, route.fromText(rawBody as string), 'body'), rulesOnly: true }
          : { data: rawBody, issues: [], rulesOnly: true };
      const query = parsePart(strictQuery(route.query), ctx.query, 'query');
      const params = parsePart(route.params, ctx.params, 'params');
      const headers = route.headers ? parsePart(route.headers, readHeaders(ctx, route.headers), 'headers') : parsePart(undefined, undefined, 'headers');
      const parts = [body, query, params, headers];
      const issues = parts.flatMap((p) => p.issues);
      // A request of the documented shape that breaks a rule the document cannot state (an end before its start) is 422.
      if (issues.length > 0) throw new AppError(parts.every((p) => p.rulesOnly) ? 'VALIDATION_RULE_FAILED' : 'VALIDATION_FAILED', { issues });

      const result = await answeringAfter(
        async () => route.handler({ body: body.data, query: query.data, params: params.data, headers: headers.data, principal, consented, ctx } as RouteInput<Endpoint>),
        (err) => options.logger.warn({ requestId: ctx.state.requestId, err: describeError(err) }, 'work left behind the answer failed; its sweep finishes it'),
      );
      const answeredItself = ctx.body !== undefined && ctx.body !== null;
      if (!answeredItself) {
        if (result === undefined) ctx.status = 204;
        else ctx.body = result;
      }
      const successStatus = Object.keys(route.responses)
        .map(Number)
        .find((s) => s >= 200 && s < 300);
      if (successStatus && successStatus !== 200 && ctx.status === 200) ctx.status = successStatus;
      if (!answeredItself && result !== undefined) ctx.body = documentedBody(route, ctx.status, result);
    };
    router[route.method](route.path, handle);
  }
}

/** Refuses to start unless `routes` serve every operation of the contract, each once, and nothing else. */
export function servesExactly(routes: RouteSpec[], contract: Record<string, Endpoint>): void {
  const served = routes.map((r) => r.operationId);
  const twice = served.filter((id, i) => served.indexOf(id) !== i);
  const missing = Object.keys(contract).filter((id) => !served.includes(id));
  const extra = served.filter((id) => !(id in contract));
  if (twice.length || missing.length || extra.length) {
    throw new Error(
      `routes and shared/api/all.ts differ: served twice ${twice.join(', ') || '-'}; not served ${missing.join(', ') || '-'}; not in the contract ${extra.join(', ') || '-'}`,
    );
  }
}
