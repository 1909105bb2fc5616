import { DataSource } from 'typeorm';
import { Browser } from './harness';
import { startTestApp, TestApp } from './test-app';

describe('GET /api/v1/health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  it('says the database is up', async () => {
    const res = await new Browser(t).get('health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('answers unknown API paths with a JSON 404 in Nest’s shape', async () => {
    const res = await new Browser(t).get('nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, message: 'Cannot GET /api/v1/nope', error: 'Not Found' });
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, both in Nest’s shape', async () => {
    const bad = await new Browser(t).post('nope', '{"email":', { xsrf: false });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js/);
    const big = await new Browser(t).post('nope', JSON.stringify({ pad: 'x'.repeat(101 * 1024) }), { xsrf: false });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers 503 quickly once the database connection is closed', async () => {
    await t.app.get(DataSource).destroy();
    const started = Date.now();
    const res = await new Browser(t).get('health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'error', db: 'down' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
