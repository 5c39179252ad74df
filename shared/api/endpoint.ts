import type { z } from 'zod';
import type { Role } from '../roles';

/**
 * The API contract, one declaration per operation: method, path, who may call it and every
 * part of the request and response as zod schemas. The BFF binds a handler to each (it
 * validates with the same schemas and generates OpenAPI from them); the mini-program, the
 * console and the tests call through one client typed from them (`./client`).
 */

/** Who may call an operation: anyone, or any of the listed roles. */
export type Access = 'public' | readonly Role[];
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * OpenAPI links of a response: the operations that take what it returns, each with the
 * runtime expressions of their path parameters (`$response.body#/id`, `$request.path.id`).
 * Generated clients and stateful fuzzing follow them from a created resource to its uses.
 */
export type ResponseLinks = Record<string, { operationId: string; parameters: Record<string, string> }>;

type ResponseSpec = { description: string; schema?: z.ZodType; contentType?: string | string[]; links?: ResponseLinks };

export type Endpoint = {
  method: Method;
  /** Koa-style: `/mall/items/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tags: readonly string[];
  access: Access;
  /**
   * Public operations that other systems call with an HMAC-signed body (the bank, merchants):
   * the server checks the signature over the raw bytes before parsing any of them.
   */
  signed?: true;
  body?: z.ZodType;
  /**
   * Documented in place of `body` when the handler checks the details itself with this same
   * schema, to report every problem at once (bulk uploads: every bad row, not the first).
   */
  documentedBody?: z.ZodType;
  /** Takes the body as text of this media type instead of JSON (bulk CSV uploads). */
  textBody?: 'text/csv';
  query?: z.ZodType;
  params?: z.ZodType;
  /** Request headers this operation reads (names as documented, e.g. `Idempotency-Key`). */
  headers?: z.ZodObject;
  /** This route's body limit in bytes, in place of the app's (tighter, or looser for bulk uploads): more is 413, as the document says. */
  maxBodyBytes?: number;
  responses: Record<number, ResponseSpec>;
};

/** Declares a capability's operations, keeping each one's literal types for the client and the server. */
export function endpoints<const T extends { [K in keyof T]: Endpoint & { operationId: K } }>(declared: T): T {
  return declared;
}

/** Links to each of `operationIds`, all taking the same `parameters`; named after the operation. */
export function linksTo(operationIds: readonly string[], parameters: Record<string, string>): ResponseLinks {
  return Object.fromEntries(operationIds.map((operationId) => [operationId, { operationId, parameters }]));
}

type Infer<S, Fallback = undefined> = S extends z.ZodType ? z.infer<S> : Fallback;
type InputOfSchema<S> = S extends z.ZodType ? z.input<S> : undefined;

/** The success statuses an endpoint documents. */
type SuccessStatus<E extends Endpoint> = Extract<keyof E['responses'], 200 | 201 | 202 | 204>;

/** What a successful call answers: the first documented success response's schema, or nothing. */
export type ResponseOf<E extends Endpoint> = Infer<E['responses'][SuccessStatus<E>]['schema'], void>;

/** A part the caller may leave out when its schema takes nothing (every field optional). */
type Part<Name extends string, S> = S extends z.ZodType
  ? undefined extends z.input<S>
    ? { [K in Name]?: z.input<S> }
    : Record<never, never> extends z.input<S>
      ? { [K in Name]?: z.input<S> }
      : { [K in Name]: z.input<S> }
  : { [K in Name]?: never };

/** What a caller sends: the parts the endpoint declares, typed as their schemas take them. */
export type RequestOf<E extends Endpoint> = Part<'params', E['params']> &
  Part<'query', E['query']> &
  (E['textBody'] extends string ? { body: string } : Part<'body', E['body']>) &
  Part<'headers', E['headers']>;

/** What the server's handler receives, once every part is checked. */
export type ParsedRequestOf<E extends Endpoint> = {
  body: E['textBody'] extends string ? (E['body'] extends z.ZodType ? z.output<E['body']> : string) : Infer<E['body']>;
  query: Infer<E['query']>;
  params: Infer<E['params']>;
  headers: Infer<E['headers']>;
};

export type { InputOfSchema };

/** A path with its `:name` parameters filled in, each encoded. */
export function pathOf(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`path ${path} needs ${name}`);
    return encodeURIComponent(String(value));
  });
}
