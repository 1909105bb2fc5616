import request from 'supertest';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './test-app';

describe('GET /api/v1/health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  it('says the database is up', async () => {
    const res = await request(t.server).get('/api/v1/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('answers unknown API paths with a JSON 404 in Nest’s shape', async () => {
    const res = await request(t.server).get('/api/v1/nope').expect(404);
    expect(res.body).toEqual({ statusCode: 404, message: 'Cannot GET /api/v1/nope', error: 'Not Found' });
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, both in Nest’s shape', async () => {
    const bad = await request(t.server).post('/api/v1/nope').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js/);
    const big = await request(t.server).post('/api/v1/nope').set('content-type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(101 * 1024) })).expect(413);
    expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers 503 quickly once the database connection is closed', async () => {
    await t.app.get(DataSource).destroy();
    const started = Date.now();
    const res = await request(t.server).get('/api/v1/health').expect(503);
    expect(res.body).toEqual({ status: 'error', db: 'down' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
