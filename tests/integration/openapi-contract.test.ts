import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { z } from 'zod';
import { startBff, type TestBff } from '../helpers/bff';
import { contractOf } from '../helpers/contract';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { itemInput, publishEntry } from '../helpers/mall';
import { implement, mountRoutes } from '../../bff/src/platform/http/routes';
import { buildOpenApiDocument } from '../../bff/src/platform/http/openapi';
import { errorsAndAccessLog, requestId } from '../../bff/src/platform/http/middleware';
import { createLogger } from '../../bff/src/platform/logger';
import { createTokenService } from '../../bff/src/platform/auth/tokens';
import { systemClock } from '../../bff/src/platform/clock';

let bff: TestBff;
let doc: any;
beforeAll(async () => {
  bff = await startBff('openapi');
  await seedDemo(bff);
  doc = (await bff.call('getOpenApiDocument')).body;
});
afterAll(() => bff.stop());

describe('the OpenAPI document', () => {
  test('passes a real OpenAPI 3.1 validator, and every reference resolves', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'openapi-'));
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/validate-openapi.mjs'), file], { encoding: 'utf8' });
    expect(out).toContain('valid OpenAPI 3.1');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)]).toBeDefined();
    }
  });

  test('declares the probes, the headers the API requires, and the limits it enforces', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/v1/openapi.json']));
    const redeem = doc.paths['/api/v1/mall/redemptions'].post;
    expect(redeem.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    const conversions = doc.paths['/api/v1/bank/conversions'].post;
    expect(
      conversions.parameters
        .filter((p: { in: string; required: boolean }) => p.in === 'header' && p.required)
        .map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['X-Bank-Nonce', 'X-Bank-Signature', 'X-Bank-Timestamp']);
    const body = (op: any) => op.requestBody.content['application/json'].schema;
    expect(body(conversions).oneOf).toHaveLength(3); // exactly one customer identifier
    expect(body(doc.paths['/api/v1/admin/points/adjustments'].post).properties.amount).toMatchObject({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } });
    expect(body(doc.paths['/api/v1/admin/mall/items/{id}/stock-adjustments'].post).properties.delta.not).toEqual({ const: 0 });
    expect(body(doc.paths['/api/v1/admin/staff/{id}'].patch).anyOf).toHaveLength(3); // at least one change
    const bulkRows = body(doc.paths['/api/v1/admin/activities/bulk'].post).properties.items.items;
    expect(bulkRows).not.toEqual({});
    expect(JSON.stringify(bulkRows)).toContain('"code"');
    expect(doc.paths['/api/v1/admin/activities/{id}'].put.summary).toContain('REVIEW_IMMUTABLE_FIELD');
    // Signed-in operations say what a refusal looks like.
    expect(doc.paths['/api/v1/me'].get.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
  });

  test('links lead from what a response returns to the operations that take it', () => {
    const op = (path: string, method: string) => doc.paths[`/api/v1${path}`][method];
    expect(op('/admin/activities', 'post').responses['201'].links.submitActivity).toEqual({ operationId: 'submitActivity', parameters: { id: '$response.body#/id' } });
    expect(op('/admin/activities/{id}/submit', 'post').responses['200'].links.approveActivity.parameters).toEqual({ id: '$response.body#/id' });
    expect(op('/activities/{id}/quiz/attempts', 'post').responses['201'].links.submitQuizAttempt.parameters).toEqual({
      id: '$request.path.id',
      attemptId: '$response.body#/attemptId',
    });
    expect(op('/mall/redemptions', 'post').responses['200'].links.cancelMyMallOrder.parameters).toEqual({ id: '$response.body#/id' });
    expect(op('/activities/{id}/draw/draws', 'post').responses['200'].links.claimMyDrawPrize.parameters).toEqual({ drawId: '$response.body#/drawId' });
    expect(op('/admin/points/adjustments', 'post').responses['201'].links.approvePointsAdjustment.operationId).toBe('approvePointsAdjustment');
    // Every link names an operation of the document and exactly its path parameters.
    const operations = new Map<string, any>();
    for (const methods of Object.values<any>(doc.paths)) for (const o of Object.values<any>(methods)) operations.set(o.operationId, o);
    let links = 0;
    for (const o of operations.values()) {
      for (const response of Object.values<any>(o.responses)) {
        for (const link of Object.values<any>(response.links ?? {})) {
          links++;
          const target = operations.get(link.operationId);
          expect(target).toBeDefined();
          const pathParams = target.parameters
            .filter((p: any) => p.in === 'path')
            .map((p: any) => p.name)
            .sort();
          expect(Object.keys(link.parameters).sort()).toEqual(pathParams);
        }
      }
    }
    expect(links).toBeGreaterThan(60);
  });

  test('a link to an operation or parameter that does not exist stops the document being built', () => {
    const route = (links: Record<string, { operationId: string; parameters: Record<string, string> }>) =>
      implement(
        { method: 'post', path: '/things', operationId: 'createThing', summary: 'A thing', tags: [], access: 'public', responses: { 201: { description: 'Made', links } } },
        () => ({}),
      );
    const getThing = implement(
      {
        method: 'get',
        path: '/things/:id',
        operationId: 'getThing',
        summary: 'A thing',
        tags: [],
        access: 'public',
        params: z.object({ id: z.string() }),
        responses: { 200: { description: 'It' } },
      },
      () => ({}),
    );
    const build = (links: Record<string, { operationId: string; parameters: Record<string, string> }>) => () =>
      buildOpenApiDocument([{ basePath: '', routes: [route(links), getThing] }], { title: 't', version: '1' });
    expect(build({ getThing: { operationId: 'getThing', parameters: { id: '$response.body#/id' } } })).not.toThrow();
    expect(build({ gone: { operationId: 'getGone', parameters: { id: '$response.body#/id' } } })).toThrow(/names no operation/);
    expect(build({ getThing: { operationId: 'getThing', parameters: { thingId: '$response.body#/id' } } })).toThrow(/must give exactly id/);
  });

  test('the suite’s contract check fails on a body its schema does not allow', async () => {
    const check = await contractOf(bff.url);
    expect(() => check('GET', `${bff.url}/healthz`, 200, 'application/json', { status: 'ok' })).not.toThrow();
    expect(() => check('GET', `${bff.url}/healthz`, 200, 'application/json', { status: 'fine' })).toThrow(/does not match/);
    expect(() => check('GET', `${bff.url}/api/v1/me`, 401, 'application/json', { code: 'NOPE' })).toThrow(/does not match/);
    expect(() => check('GET', `${bff.url}/api/v1/undocumented`, 200, 'application/json', {})).toThrow(/no such operation/);
  });
});

describe('answers as documented', () => {
  test('a method a path does not declare is 405 with Allow, as JSON', async () => {
    for (const [method, p] of [
      ['DELETE', '/api/v1/me'],
      ['PUT', '/api/v1/mall/redemptions'],
      ['POST', '/healthz'],
    ]) {
      const res = await bff.request(method, p);
      expect(res.status).toBe(405);
      expect(res.body).toEqual({ code: 'METHOD_NOT_ALLOWED', message: expect.any(String), requestId: expect.any(String) });
      expect(res.headers.get('allow')).toBeTruthy();
    }
    expect((await bff.request('DELETE', '/api/v1/me')).headers.get('allow')).toContain('GET');
    expect((await bff.request('GET', '/api/v1/mall/redemptions')).headers.get('allow')).toContain('POST');
  });

  test('a 401 carries the same security headers as every other response', async () => {
    const refused = await bff.call('getMyProfile');
    const ok = await bff.request('GET', '/healthz');
    expect(refused.status).toBe(401);
    for (const header of ['x-content-type-options', 'x-frame-options', 'strict-transport-security', 'content-security-policy', 'cache-control', 'referrer-policy']) {
      expect(refused.headers.get(header)).toBe(ok.headers.get(header));
      expect(refused.headers.get(header)).toBeTruthy();
    }
  });

  test('a query parameter the route does not declare is refused, not ignored', async () => {
    const admin = await staffToken(bff, 'admin');
    const sneaky = await bff.request('GET', '/api/v1/admin/mall/invariants?itemId[$ne]=1', { token: admin });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.code).toBe('VALIDATION_FAILED');
    const c = await customerSession(bff);
    const extra = await bff.request('GET', '/api/v1/me?debug=1', { token: c.token });
    expect(extra.status).toBe(400);
    expect((await bff.request('GET', '/api/v1/mall/orders?limit=5&sort=x', { token: c.token })).status).toBe(400);
    expect((await bff.call('listMyMallOrders', { query: { limit: '5' } }, { token: c.token })).status).toBe(200);
  });

  test('a bulk upload with no rows is refused, as CSV and as JSON', async () => {
    const admin = await staffToken(bff, 'admin');
    const csv = (rawBody: string) => bff.request('POST', '/api/v1/admin/activities/bulk-csv', { token: admin, rawBody, headers: { 'Content-Type': 'text/csv' } });
    for (const rawBody of ['code,type,orgUnitId,title\n', '\uFEFFcode,type\r\n\r\n', 'not,a,header']) {
      const res = await csv(rawBody);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('BULK_UPLOAD_INVALID');
    }
    const empty = await csv('');
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('BULK_UPLOAD_INVALID');
    // The JSON list's length is in the document: a shape error.
    const json = await bff.request('POST', '/api/v1/admin/mall/catalogue/bulk', { token: admin, body: { items: [] } });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('VALIDATION_FAILED');
    expect((await bff.call('listActivities', undefined, { token: admin })).body.items).toEqual([]);
  });

  test('addresses answer their documented shape: one id, masked, nothing internal; the 11th is a 409', async () => {
    const c = await customerSession(bff);
    const saved = await bff.call('addMyAddress', { body: { name: '王小明', phone: '13912345678', region: '北京市 朝阳区', detail: '建国路 88 号' } }, { token: c.token });
    expect(saved.status).toBe(201);
    expect(Object.keys(saved.body).sort()).toEqual(['detail', 'id', 'name', 'phone', 'region']);
    expect(saved.body.phone).toBe('139****5678');
    const listed = (await bff.call('listMyAddresses', {}, { token: c.token })).body.items;
    expect(JSON.stringify(listed)).not.toMatch(/_id|customerId|13912345678/);
    for (let i = 1; i < 10; i++) {
      expect(
        (await bff.call('addMyAddress', { body: { name: '王小明', phone: '13912345678', region: '北京市 朝阳区', detail: `建国路 ${i} 号` } }, { token: c.token })).status,
      ).toBe(201);
    }
    const eleventh = await bff.call('addMyAddress', { body: { name: '王小明', phone: '13912345678', region: '北京市 朝阳区', detail: '建国路 99 号' } }, { token: c.token });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.code).toBe('ADDRESS_LIMIT_REACHED');
  });

  test('codes for an item that is not a coupon are a 422 with their own code', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical' }));
    const res = await bff.call('uploadCouponCodes', { params: { id }, body: { codes: ['ABCD-1234'] } }, { token: tokens.admin });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('MALL_CODES_NOT_COUPON');
  });

  test('a coupon code is refused as sent, not trimmed into a shorter one the document would not allow', async () => {
    const admin = await staffToken(bff, 'admin');
    const codes = doc.paths['/api/v1/admin/mall/items/{id}/codes'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(codes)).toContain('"pattern":"^[!-~]{4,64}$"');
    for (const code of [' ABC ', 'AB CD', 'ABC\u0001', '券码1234']) {
      const res = await bff.request('POST', '/api/v1/admin/mall/items/none/codes', { token: admin, body: { codes: [code] } });
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe('body.codes.0');
    }
  });
});

describe('responses are mapped through their documented schema', () => {
  async function tinyApp(handler: () => unknown) {
    const router = new Router();
    const tokens = createTokenService({ secret: 'x'.repeat(32), ttlSeconds: 60, clock: systemClock });
    mountRoutes(
      router,
      [
        implement(
          {
            method: 'get',
            path: '/thing',
            operationId: 'getThing',
            summary: 'A thing',
            tags: [],
            access: 'public',
            responses: { 200: { description: 'The thing', schema: z.object({ id: z.string(), name: z.string() }) } },
          },
          handler,
        ),
      ],
      {
        tokens,
        currentStaff: async () => null,
        consent: { consented: async () => false, refusal: async () => new Error('no') as never },
        bodyParser: async (_ctx, next) => next(),
        bodyLimitBytes: 1024,
        logger: createLogger({ level: 'silent' }),
      },
    );
    const app = new Koa();
    app.use(requestId());
    app.use(errorsAndAccessLog(createLogger({ level: 'silent' })));
    app.use(router.routes());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/thing`);
    const body = await res.json();
    server.close();
    return { status: res.status, body };
  }

  test('fields the schema does not name are not sent', async () => {
    const res = await tinyApp(() => ({ _id: 'internal', id: 't1', name: '东西', customerId: 'c-1' }));
    expect(res).toEqual({ status: 200, body: { id: 't1', name: '东西' } });
  });

  test('a shape that does not match is a 500, not sent', async () => {
    const res = await tinyApp(() => ({ id: 't1', name: 42, secret: 'leak' }));
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('leak');
  });
});
