import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import type { Environment } from '@latchkey/auth-nest';
import { startTestApp, TestApp, TestAppOptions } from './test-app';
import { Answer, Browser, expectApiError, Method, PASSWORD, signUp, uniqueEmail } from './harness';

const DOCS_PATHS = ['/api/docs', '/api/docs-json', '/api/docs-yaml'];

/** API_DOCS: the OpenAPI UI and documents, on by default in development only. */
describe.each<[string, Environment, TestAppOptions, boolean]>([
  ['in development', {}, {}, true],
  ['in production', {}, { production: true }, false],
  ['with API_DOCS=false', { API_DOCS: 'false' }, {}, false],
  ['in production with API_DOCS=true', { API_DOCS: 'true' }, { production: true }, true],
])('the API docs %s', (_case, env, options, isServed) => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(env, options)));
  afterAll(() => t?.close());

  if (isServed) {
    it('serve the UI, the JSON and the YAML document', async () => {
      const ui = await new Browser(t).get('/api/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toContain('text/html');
      const json = await new Browser(t).get('/api/docs-json');
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Latchkey API' } });
      expect(json.body.paths).toHaveProperty(['/api/v1/auth/login']);
      const yaml = await new Browser(t).get('/api/docs-yaml');
      expect(yaml.status).toBe(200);
      expect(yaml.text).toMatch(/^openapi: 3\./m);
    });

    it('name this environment’s access cookie in the cookie scheme, beside the bearer scheme', async () => {
      const doc: OpenAPIObject = (await new Browser(t).get('/api/docs-json')).body;
      expect(doc.components?.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: t.config.auth.cookieNames.access },
      });
    });
  } else {
    it.each(DOCS_PATHS)('answer %s with a JSON 404 in Nest’s shape', async (path) => {
      const res = await new Browser(t).get(path);
      expectApiError(res, 404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.text).not.toMatch(/swagger|openapi/i);
    });

    it('leave nothing of Swagger’s UI behind', async () => {
      for (const path of ['/api/docs/', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-init.js']) {
        expect((await new Browser(t).get(path)).status).toBe(404);
      }
    });
  }
});

describe('the API docs off, in front of a built PWA', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'latchkey-docs-web-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Latchkey</title>');
    t = await startTestApp({}, { production: true, webRoot });
  });
  afterAll(async () => {
    await t?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it.each(DOCS_PATHS)('%s is a JSON 404, never the PWA’s index.html', async (path) => {
    const res = await new Browser(t).get(path);
    expectApiError(res, 404);
    expect(res.text).not.toContain('<title>Latchkey</title>');
  });
});

/*
 * The OpenAPI document against CONTRACT.md ("Endpoints", "Cookies", "Bad
 * input") and against the running API: every operation's success and error
 * answers with their schemas, the XSRF header on every unsafe operation, the
 * bearer scheme exactly where the JWT guard runs, and an OpenAPI 3.0 document
 * that holds together (no validator package is installed, so its structure is
 * checked here).
 */

type Json = Record<string, unknown>;

const API = '/api/v1';
const UNSAFE_METHODS = ['post', 'put', 'patch', 'delete'] as const;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_SCHEMA_REF = '#/components/schemas/ApiError';

/** What the contract's endpoints table says of each operation; `access`: behind the JWT guard. */
interface Expected {
  access?: true;
  success: number;
  errors: number[];
}

/**
 * Every unsafe request can also meet 400 (not JSON, too deep), 403 (XSRF)
 * and 413 (over 100 KB) before its route runs; the table names them anyway.
 */
const OPERATIONS: Record<string, Expected> = {
  'POST /api/v1/auth/register': { success: 201, errors: [400, 403, 409, 413, 429, 503] },
  'POST /api/v1/auth/login': { success: 200, errors: [400, 401, 403, 413, 429, 503] },
  'POST /api/v1/auth/refresh': { success: 200, errors: [400, 401, 403, 413, 503] },
  'POST /api/v1/auth/logout': { success: 204, errors: [400, 403, 413, 503] },
  'POST /api/v1/auth/logout-all': { access: true, success: 204, errors: [400, 401, 403, 413, 503] },
  'GET /api/v1/auth/me': { access: true, success: 200, errors: [401, 503] },
  'PATCH /api/v1/auth/me': { access: true, success: 200, errors: [400, 401, 403, 413, 503] },
  'DELETE /api/v1/auth/me': { access: true, success: 204, errors: [400, 401, 403, 413, 429, 503] },
  'GET /api/v1/auth/sessions': { access: true, success: 200, errors: [401, 503] },
  'DELETE /api/v1/auth/sessions/{id}': { access: true, success: 204, errors: [400, 401, 403, 404, 413, 503] },
  'GET /api/v1/auth/providers': { success: 200, errors: [] },
  'GET /api/v1/auth/google': { success: 302, errors: [404] },
  'GET /api/v1/auth/google/callback': { success: 302, errors: [404, 503] },
  'POST /api/v1/auth/password/forgot': { success: 202, errors: [400, 403, 413, 429, 503] },
  'POST /api/v1/auth/password/reset': { success: 204, errors: [400, 403, 413, 503] },
  'POST /api/v1/auth/password/change': { access: true, success: 204, errors: [400, 401, 403, 413, 429, 503] },
  'POST /api/v1/auth/email/verification': { access: true, success: 202, errors: [400, 401, 403, 413, 429, 503] },
  'POST /api/v1/auth/email/verify': { success: 200, errors: [400, 403, 409, 413, 503] },
  'POST /api/v1/auth/email/change': { access: true, success: 202, errors: [400, 401, 403, 409, 413, 429, 503] },
};

/** Routes that read the auth cookies: a Bearer token never exempts them from the XSRF check (CONTRACT.md "Cookies"). */
const NEVER_EXEMPT = new Set(['POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'POST /api/v1/auth/logout']);

/**
 * Operations under /api/v1 that are not the auth module's: the app's health
 * check (apps/api's HealthController) has no response decorators yet, so its
 * answers are not held to the auth module's rules here.
 */
const NOT_AUTH_MODULE = new Set(['GET /api/v1/health']);

interface Operation {
  key: string;
  method: (typeof HTTP_METHODS)[number];
  path: string;
  op: OperationObject;
}

function operationsOf(doc: OpenAPIObject): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op: item[method] as OperationObject })),
  );
}

const isUnsafe = (o: Operation) => (UNSAFE_METHODS as readonly string[]).includes(o.method);
const isSuccess = (status: string) => /^[23]\d\d$/.test(status);

function xsrfParameter(o: Operation): ParameterObject | undefined {
  return (o.op.parameters as ParameterObject[] | undefined)?.find((p) => p.in === 'header' && p.name.toLowerCase() === XSRF_HEADER_NAME.toLowerCase());
}

/** The JSON pointer `ref` (`#/components/…`) inside `doc`. */
function resolveRef(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), doc);
}

function deref<T>(doc: OpenAPIObject, node: T | { $ref: string }): T {
  const ref = (node as { $ref?: unknown }).$ref;
  return typeof ref === 'string' ? deref(doc, resolveRef(doc, ref) as T) : (node as T);
}

/**
 * Where `value` breaks `schema` (OpenAPI 3.0's JSON Schema subset as
 * @nestjs/swagger writes it): types, nullable, enum, required and
 * undeclared properties, items, oneOf, date-time. Empty when it conforms.
 */
function schemaProblems(doc: OpenAPIObject, schemaOrRef: SchemaObject | { $ref: string }, value: unknown, at = '$'): string[] {
  const schema = deref<SchemaObject>(doc, schemaOrRef);
  if (value === null) return schema.nullable ? [] : [`${at} is null`];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((alternative) => schemaProblems(doc, alternative, value, at).length === 0).length;
    return matching === 1 ? [] : [`${at} matches ${matching} of the oneOf alternatives`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at} = ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return [`${at} is not a string`];
      return schema.format === 'date-time' && Number.isNaN(Date.parse(value)) ? [`${at} is not a date-time`] : [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} is not a boolean`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at} is not a number`];
    case 'array':
      if (!Array.isArray(value)) return [`${at} is not an array`];
      return value.flatMap((item, i) => (schema.items ? schemaProblems(doc, schema.items, item, `${at}[${i}]`) : []));
    case 'object':
    case undefined: {
      if (!schema.properties) return schema.type === 'object' && (typeof value !== 'object' || Array.isArray(value)) ? [`${at} is not an object`] : [];
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at} is not an object`];
      const body = value as Json;
      const properties = schema.properties;
      return [
        ...(schema.required ?? []).filter((name) => !(name in body)).map((name) => `${at}.${name} is missing`),
        ...Object.keys(body)
          .filter((name) => !(name in properties))
          .map((name) => `${at}.${name} is not documented`),
        ...Object.entries(body).flatMap(([name, item]) => (properties[name] ? schemaProblems(doc, properties[name], item, `${at}.${name}`) : [])),
      ];
    }
    default:
      return [`${at}: unknown schema type ${String(schema.type)}`];
  }
}

/** `res` is an answer the document lists for `key`, and its body has that answer's documented schema (or none). */
function expectDocumented(doc: OpenAPIObject, key: string, res: Answer): void {
  const [method, path] = key.split(' ');
  const op = doc.paths[path]?.[method.toLowerCase() as (typeof HTTP_METHODS)[number]];
  expect({ key, documented: Boolean(op) }).toEqual({ key, documented: true });
  const answer = op?.responses[String(res.status)];
  expect({ key, status: res.status, listed: Boolean(answer) }).toEqual({ key, status: res.status, listed: true });
  const response = deref<ResponseObject>(doc, answer as ResponseObject);
  const schema = response.content?.['application/json']?.schema;
  if (schema) {
    expect(res.headers['content-type']).toContain('application/json');
    expect({ key, status: res.status, problems: schemaProblems(doc, schema, res.body) }).toEqual({ key, status: res.status, problems: [] });
  } else if (res.status !== 302) {
    expect({ key, status: res.status, body: res.text }).toEqual({ key, status: res.status, body: '' });
  }
  for (const header of Object.keys(response.headers ?? {})) {
    if (header.toLowerCase() === 'location' || header.toLowerCase() === 'retry-after') expect(res.headers[header.toLowerCase()]).toBeDefined();
  }
}

/** Every `$ref` anywhere in `node`, with where it was found. */
function refsIn(node: unknown, at = '#'): { at: string; ref: string }[] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as Json).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [{ at, ref: value }] : refsIn(value, `${at}/${key}`)));
}

/** Every schema object in `doc` (components and inline), with where it is. */
function schemasIn(node: unknown, at: string, inSchema = false): { at: string; schema: SchemaObject }[] {
  if (!node || typeof node !== 'object') return [];
  const own = inSchema && !('$ref' in (node as Json)) ? [{ at, schema: node as SchemaObject }] : [];
  const children = Object.entries(node as Json).flatMap(([key, value]) => {
    if (inSchema && key === 'properties') return Object.entries((value as Json) ?? {}).flatMap(([name, child]) => schemasIn(child, `${at}/properties/${name}`, true));
    if (inSchema && (key === 'oneOf' || key === 'anyOf' || key === 'allOf')) return (value as unknown[]).flatMap((child, i) => schemasIn(child, `${at}/${key}/${i}`, true));
    if (key === 'schema' || (inSchema && (key === 'items' || key === 'additionalProperties' || key === 'not'))) return schemasIn(value, `${at}/${key}`, true);
    if (inSchema || key === 'example' || key === 'examples') return [];
    return schemasIn(value, `${at}/${key}`, false);
  });
  return [...own, ...children];
}

/** The document breaks OpenAPI 3.0's structural rules where this says so; empty when it holds together. */
function structuralProblems(doc: OpenAPIObject): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  if (!/^3\.0\.\d+$/.test(doc.openapi)) fail(`openapi is ${doc.openapi}, not 3.0.x`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') fail('info needs a title and a version');
  if (doc.security?.length) fail('a document-wide security requirement would cover the public operations too');
  const schemes = (doc.components?.securitySchemes ?? {}) as unknown as Record<string, Json>;
  for (const [name, scheme] of Object.entries(schemes)) {
    if (scheme['type'] === 'http' && typeof scheme['scheme'] !== 'string') fail(`security scheme ${name}: http without a scheme`);
    if (scheme['type'] === 'apiKey' && (typeof scheme['name'] !== 'string' || !['query', 'header', 'cookie'].includes(scheme['in'] as string))) fail(`security scheme ${name}: apiKey without name/in`);
    if (!['http', 'apiKey', 'oauth2', 'openIdConnect'].includes(scheme['type'] as string)) fail(`security scheme ${name}: type ${String(scheme['type'])}`);
  }
  const operationIds = new Set<string>();
  for (const { key, path, op } of operationsOf(doc)) {
    if (!path.startsWith('/')) fail(`${key}: path does not start with /`);
    if (!op.operationId) fail(`${key}: no operationId`);
    else if (operationIds.has(op.operationId)) fail(`${key}: operationId ${op.operationId} is not unique`);
    else operationIds.add(op.operationId);
    const responses = Object.entries(op.responses ?? {});
    if (responses.length === 0) fail(`${key}: no responses`);
    for (const [status, answer] of responses) {
      if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) fail(`${key}: response key ${status}`);
      const response = deref<ResponseObject>(doc, answer as ResponseObject);
      if (typeof response?.description !== 'string') fail(`${key} ${status}: no description`);
      for (const [media, content] of Object.entries(response?.content ?? {})) if (!content.schema) fail(`${key} ${status} ${media}: no schema`);
    }
    const parameters = ((op.parameters ?? []) as ParameterObject[]).map((p) => deref<ParameterObject>(doc, p));
    const seen = new Set<string>();
    for (const p of parameters) {
      if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in)) fail(`${key}: parameter ${JSON.stringify(p)}`);
      if (seen.has(`${p.in}:${p.name.toLowerCase()}`)) fail(`${key}: parameter ${p.in} ${p.name} twice`);
      seen.add(`${p.in}:${p.name.toLowerCase()}`);
      if (!p.schema === !p.content) fail(`${key}: parameter ${p.name} needs a schema or a content, not both`);
      if (p.in === 'path' && p.required !== true) fail(`${key}: path parameter ${p.name} is not required`);
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const declared = parameters
      .filter((p) => p.in === 'path')
      .map((p) => p.name)
      .sort();
    if (JSON.stringify(templated) !== JSON.stringify(declared)) fail(`${key}: path template {${templated}} but path parameters ${declared}`);
    for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) if (!schemes[name]) fail(`${key}: security scheme ${name} is not defined`);
    if (op.requestBody) {
      const body = deref(doc, op.requestBody);
      if (!body.content || Object.values(body.content).some((c) => !c.schema)) fail(`${key}: request body without a schema`);
    }
  }
  for (const { at, ref } of refsIn(doc)) if (resolveRef(doc, ref) === undefined) fail(`${at}: $ref ${ref} does not resolve`);
  const types = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
  const schemaNodes = [
    ...Object.entries(doc.components?.schemas ?? {}).flatMap(([name, schema]) => schemasIn(schema, `#/components/schemas/${name}`, true)),
    ...schemasIn(doc.paths, '#/paths'),
  ];
  for (const { at, schema } of schemaNodes) {
    if (schema.type !== undefined && !types.includes(schema.type as string)) fail(`${at}: type ${JSON.stringify(schema.type)}`);
    if (schema.type === 'array' && !schema.items) fail(`${at}: array without items`);
    if (schema.nullable !== undefined && typeof schema.nullable !== 'boolean') fail(`${at}: nullable is not a boolean`);
    for (const name of schema.required ?? []) if (!schema.properties?.[name]) fail(`${at}: required ${name} is not a property`);
  }
  return problems;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let operations: Operation[];
  let ours: Operation[];
  beforeAll(async () => {
    t = await startTestApp();
    const json = await new Browser(t).get('/api/docs-json');
    expect(json.status).toBe(200);
    doc = json.body;
    operations = operationsOf(doc).filter((o) => o.path === API || o.path.startsWith(`${API}/`));
    ours = operations.filter((o) => !NOT_AUTH_MODULE.has(o.key));
  });
  afterAll(() => t?.close());

  it('holds together as an OpenAPI 3.0 document', () => {
    expect(structuralProblems(doc)).toEqual([]);
  });

  it('lists exactly the contract’s auth operations', () => {
    expect(ours.map((o) => o.key).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('documents the error body: statusCode, message (a string or strings) and error, all required', () => {
    const schema = resolveRef(doc, ERROR_SCHEMA_REF) as SchemaObject;
    expect(schema).toMatchObject({ type: 'object', properties: { statusCode: { type: 'integer' }, error: { type: 'string' } } });
    expect([...(schema.required ?? [])].sort()).toEqual(['error', 'message', 'statusCode']);
    expect(schema.properties?.['message']).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] });
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['error', 'message', 'statusCode']);
  });

  it('gives each operation the contract’s statuses: one success and its errors', () => {
    const listed = Object.fromEntries(ours.map((o) => [o.key, Object.keys(o.op.responses).map(Number).sort()]));
    const expected = Object.fromEntries(Object.entries(OPERATIONS).map(([key, e]) => [key, [e.success, ...e.errors].sort()]));
    expect(listed).toEqual(expected);
  });

  it('gives every success a body schema, or says explicitly that it has none', () => {
    for (const o of ours) {
      const successes = Object.entries(o.op.responses).filter(([status]) => isSuccess(status));
      expect({ key: o.key, successes: successes.length }).toEqual({ key: o.key, successes: 1 });
      const [status, answer] = successes[0];
      const response = deref<ResponseObject>(doc, answer as ResponseObject);
      expect(response.description).toEqual(expect.stringMatching(/\w/));
      const schema = response.content?.['application/json']?.schema;
      if (status === '200' || status === '201') expect({ key: o.key, schema }).toEqual({ key: o.key, schema: expect.any(Object) });
      else expect({ key: o.key, status, content: response.content }).toEqual({ key: o.key, status, content: undefined });
    }
  });

  it('documents the real bodies: user, sessions, providers', () => {
    const body = (key: string) => {
      const [method, path] = key.split(' ');
      const op = doc.paths[path][method.toLowerCase() as 'get'] as OperationObject;
      const success = Object.entries(op.responses).find(([status]) => isSuccess(status));
      return deref<ResponseObject>(doc, success?.[1] as ResponseObject).content?.['application/json']?.schema;
    };
    const user = resolveRef(doc, '#/components/schemas/User') as SchemaObject;
    expect(Object.keys(user.properties ?? {}).sort()).toEqual(['email', 'emailVerified', 'id', 'name', 'picture', 'providers']);
    expect(user.properties?.['providers']).toMatchObject({ type: 'array', items: { enum: ['password', 'google'] } });
    expect(user.properties?.['name']).toMatchObject({ type: 'string', nullable: true });
    for (const key of ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me', 'PATCH /api/v1/auth/me']) {
      expect({ key, schema: body(key) }).toEqual({ key, schema: { $ref: '#/components/schemas/AuthResponse' } });
    }
    expect(body('POST /api/v1/auth/register')).toEqual({
      oneOf: [{ $ref: '#/components/schemas/AuthResponse' }, { $ref: '#/components/schemas/VerificationRequiredResponse' }],
    });
    expect(body('GET /api/v1/auth/sessions')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/SessionInfo' } });
    expect(body('GET /api/v1/auth/providers')).toEqual({ $ref: '#/components/schemas/ProvidersResponse' });
    expect(body('POST /api/v1/auth/email/verify')).toEqual({ $ref: '#/components/schemas/UserResponse' });
  });

  it('answers every error with the one error schema, and 429s with Retry-After', () => {
    for (const o of ours) {
      for (const [status, answer] of Object.entries(o.op.responses).filter(([s]) => !isSuccess(s))) {
        const response = deref<ResponseObject>(doc, answer as ResponseObject);
        expect({ key: o.key, status, description: response.description }).toEqual({ key: o.key, status, description: expect.stringMatching(/\w/) });
        expect({ key: o.key, status, content: response.content }).toEqual({ key: o.key, status, content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } } });
        if (status === '429') expect({ key: o.key, headers: Object.keys(response.headers ?? {}) }).toEqual({ key: o.key, headers: ['Retry-After'] });
      }
    }
  });

  it('has the Google endpoints answer 302 with a Location, never 200', () => {
    for (const key of ['GET /api/v1/auth/google', 'GET /api/v1/auth/google/callback']) {
      const o = ours.find((candidate) => candidate.key === key);
      expect(o?.op.responses).toHaveProperty(['302', 'headers', 'Location', 'description'], expect.any(String));
      expect(o?.op.responses).not.toHaveProperty(['200']);
    }
  });

  it('asks for the XSRF header on every unsafe operation, required where no Bearer token can exempt it, and on no safe one', () => {
    for (const o of operations) {
      const parameter = xsrfParameter(o);
      if (!isUnsafe(o)) {
        expect({ key: o.key, parameter }).toEqual({ key: o.key, parameter: undefined });
        continue;
      }
      expect({ key: o.key, parameter }).toEqual({
        key: o.key,
        parameter: { in: 'header', name: XSRF_HEADER_NAME, required: NEVER_EXEMPT.has(o.key), description: expect.stringMatching(/XSRF-TOKEN/), schema: { type: 'string' } },
      });
      if (!NEVER_EXEMPT.has(o.key)) expect(parameter?.description).toMatch(/Bearer/);
    }
  });

  it('lists the bearer and the cookie scheme on the guarded operations, and no security on the public ones', () => {
    expect(doc.components?.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie' } });
    for (const o of operations) {
      const security = [...(o.op.security ?? [])].sort((a, b) => Object.keys(a)[0].localeCompare(Object.keys(b)[0]));
      const guarded = OPERATIONS[o.key]?.access === true;
      expect({ key: o.key, security }).toEqual({ key: o.key, security: guarded ? [{ bearer: [] }, { cookie: [] }] : [] });
    }
  });

  describe('against the running API', () => {
    /** An unsafe operation's URL, its path parameters filled in. */
    const urlOf = (o: Operation) => o.path.replace(/\{[^}]+\}/g, () => randomUUID());

    it('answers every unsafe operation without the XSRF header with the documented 403', async () => {
      const client = new Browser(t);
      await client.get('auth/providers');
      for (const o of operations.filter(isUnsafe)) {
        const res = await client.send(o.method as Method, urlOf(o), { xsrf: false, body: {} });
        expectApiError(res, 403);
        expectDocumented(doc, o.key, res);
      }
    });

    it('lets a valid Bearer token exempt exactly the operations whose XSRF header is not required', async () => {
      const { client } = await signUp(t, { tag: 'docs-bearer' });
      const token = client.currentAccessToken();
      const noHeader = await new Browser(t).send('post', 'auth/logout', { xsrf: false });
      const xsrfMessage: unknown = noHeader.body.message;
      // logout-all revokes the token: last.
      const unsafe = operations.filter(isUnsafe).sort((a, b) => Number(a.key.endsWith('/logout-all')) - Number(b.key.endsWith('/logout-all')));
      for (const o of unsafe) {
        const res = await client.bearer(o.method as Method, urlOf(o), token, {});
        const refused = res.status === 403 && res.body.message === xsrfMessage;
        expect({ key: o.key, refusedForXsrf: refused }).toEqual({ key: o.key, refusedForXsrf: xsrfParameter(o)?.required === true });
        expectDocumented(doc, o.key, res);
      }
    });

    it('answers a body that is not JSON, or over 100 KB, as documented on every unsafe operation', async () => {
      const client = new Browser(t);
      for (const o of operations.filter(isUnsafe)) {
        const malformed = await client.send(o.method as Method, urlOf(o), { body: '{"email":' });
        expectApiError(malformed, 400);
        expectDocumented(doc, o.key, malformed);
        const large = await client.send(o.method as Method, urlOf(o), { body: { filler: 'x'.repeat(101 * 1024) } });
        expectApiError(large, 413);
        expectDocumented(doc, o.key, large);
      }
    });

    it('answers with the documented bodies through a whole sign-in', async () => {
      const client = new Browser(t);
      const email = uniqueEmail('docs');
      const check = async (key: string, res: Promise<Answer>, status: number) => {
        const answer = await res;
        expect({ key, status: answer.status }).toEqual({ key, status });
        expectDocumented(doc, key, answer);
        return answer;
      };
      await check('GET /api/v1/auth/providers', client.get('auth/providers'), 200);
      await check('POST /api/v1/auth/register', client.register({ email, password: 'short' }), 400);
      await check('POST /api/v1/auth/register', client.register({ email, password: PASSWORD, name: 'Ada' }), 201);
      await check('POST /api/v1/auth/register', new Browser(t).register({ email, password: PASSWORD }), 409);
      await check('GET /api/v1/auth/me', client.me(), 200);
      await check('PATCH /api/v1/auth/me', client.send('patch', 'auth/me', { body: { name: 'Ada Lovelace' } }), 200);
      await check('PATCH /api/v1/auth/me', client.send('patch', 'auth/me', { body: { name: 'x'.repeat(101) } }), 400);
      const other = new Browser(t);
      await check('POST /api/v1/auth/login', other.login({ email, password: 'wrong password' }), 401);
      await check('POST /api/v1/auth/login', other.login({ email, password: PASSWORD }), 200);
      await check('GET /api/v1/auth/sessions', client.sessions(), 200);
      await check('DELETE /api/v1/auth/sessions/{id}', client.deleteSession(other.sessionId()), 204);
      await check('DELETE /api/v1/auth/sessions/{id}', client.deleteSession(randomUUID()), 404);
      await check('POST /api/v1/auth/refresh', client.refresh(), 200);
      await check('POST /api/v1/auth/email/verification', client.post('auth/email/verification'), 202);
      await check('POST /api/v1/auth/email/verify', client.post('auth/email/verify', { token: 'not-a-token' }), 400);
      await check('POST /api/v1/auth/email/change', client.post('auth/email/change', { newEmail: uniqueEmail('docs-new') }), 403);
      await check('POST /api/v1/auth/password/forgot', client.post('auth/password/forgot', { email }), 202);
      await check('POST /api/v1/auth/password/reset', client.post('auth/password/reset', { token: 'not-a-token', password: PASSWORD }), 400);
      await check('POST /api/v1/auth/password/change', client.post('auth/password/change', { currentPassword: 'wrong password', newPassword: PASSWORD }), 403);
      await check('DELETE /api/v1/auth/me', client.send('delete', 'auth/me', { body: {} }), 403);
      await check('POST /api/v1/auth/logout-all', other.logoutAll(), 401);
      await check('POST /api/v1/auth/logout', client.logout(), 204);
      await check('GET /api/v1/auth/me', client.me(), 401);
      await check('GET /api/v1/auth/sessions', client.sessions(), 401);
      await check('POST /api/v1/auth/refresh', client.refresh(), 401);
      await check('GET /api/v1/auth/google', client.get('auth/google'), 404);
      await check('GET /api/v1/auth/google/callback', client.get('auth/google/callback'), 404);
    });
  });
});
