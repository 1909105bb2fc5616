import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp, TestAppOptions } from './test-app';
import { expectApiError } from './auth/expect-error';
import type { Environment } from '@latchkey/auth-nest/testing';

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
      const ui = await request(t.server).get('/api/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toContain('text/html');
      const json = await request(t.server).get('/api/docs-json');
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Latchkey API' } });
      expect(json.body.paths).toHaveProperty(['/api/v1/auth/login']);
      const yaml = await request(t.server).get('/api/docs-yaml');
      expect(yaml.status).toBe(200);
      expect(yaml.text).toMatch(/^openapi: 3\./m);
    });
  } else {
    it.each(DOCS_PATHS)('answer %s with a JSON 404 in Nest’s shape', async (path) => {
      const res = await request(t.server).get(path);
      expectApiError(res, 404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.text).not.toMatch(/swagger|openapi/i);
    });

    it('leave nothing of Swagger’s UI behind', async () => {
      for (const path of ['/api/docs/', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-init.js']) {
        expect((await request(t.server).get(path)).status).toBe(404);
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
    const res = await request(t.server).get(path);
    expectApiError(res, 404);
    expect(res.text).not.toContain('<title>Latchkey</title>');
  });
});
