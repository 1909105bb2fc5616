import { createServer, Server, Socket } from 'node:net';
import { Browser, closeConnections, CookieJar, defaultPath, pathMatches, send } from './index';

/** The harness itself: the cookie jar's RFC 6265 rules and the transport's failure modes. */
describe('the test harness', () => {
  describe('CookieJar (RFC 6265)', () => {
    it.each([
      ['/api/v1/auth', '/api/v1/auth', true],
      ['/api/v1/auth/refresh', '/api/v1/auth', true],
      ['/api/v1/authx', '/api/v1/auth', false],
      ['/api/v1', '/api/v1/auth', false],
      ['/api/v1/auth/x', '/api/v1/auth/', true],
      ['/anything', '/', true],
      ['/API/V1/auth/refresh', '/api/v1/auth', false],
    ])('path-matches %s against the cookie path %s: %s', (requestPath, cookiePath, expected) => {
      expect(pathMatches(requestPath, cookiePath)).toBe(expected);
    });

    it.each([
      ['/api/v1/auth/login', '/api/v1/auth'],
      ['/api/v1/', '/api/v1'],
      ['/login', '/'],
      ['/', '/'],
      ['/a/b?c=/d/e', '/a'],
    ])('gives a cookie without Path the default path of %s: %s', (requestPath, expected) => {
      expect(defaultPath(requestPath)).toBe(expected);
    });

    it('sends a cookie only where its path matches, longer paths first, values as the server set them', () => {
      const jar = new CookieJar();
      jar.store(['XSRF-TOKEN=abc%2Fd; Path=/; SameSite=Lax', 'refresh_token=r1; Path=/api/v1/auth; HttpOnly', 'access_token=a1; Path=/; HttpOnly'], '/api/v1/auth/login');
      expect(jar.headerFor('/api/v1/auth/refresh')).toBe('refresh_token=r1; XSRF-TOKEN=abc%2Fd; access_token=a1');
      expect(jar.headerFor('/api/v1/auth?x=1')).toBe('refresh_token=r1; XSRF-TOKEN=abc%2Fd; access_token=a1');
      expect(jar.headerFor('/api/v1/health')).toBe('XSRF-TOKEN=abc%2Fd; access_token=a1');
      expect(jar.get('XSRF-TOKEN')).toBe('abc/d');
    });

    it('keeps one cookie per name and path, and removes it on Max-Age=0 or a past Expires', () => {
      const jar = new CookieJar();
      jar.store(['id=root; Path=/', 'id=deep; Path=/a'], '/');
      expect(jar.headerFor('/a/b')).toBe('id=deep; id=root');
      expect(jar.get('id')).toBe('deep');
      jar.store(['id=; Path=/a; Max-Age=0'], '/');
      expect(jar.headerFor('/a/b')).toBe('id=root');
      jar.store(['id=gone; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], '/');
      expect(jar.headerFor('/a/b')).toBeUndefined();
      jar.store(['id=new; Path=/; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], '/');
      expect(jar.get('id')).toBe('new');
    });

    it('sets values by hand percent-encoded, so they stay one cookie', () => {
      const jar = new CookieJar();
      jar.set('refresh_token', "'; DROP TABLE sessions; --", '/api/v1/auth');
      expect(jar.headerFor('/api/v1/auth/refresh')).toBe(`refresh_token=${encodeURIComponent("'; DROP TABLE sessions; --")}`);
      expect(jar.get('refresh_token')).toBe("'; DROP TABLE sessions; --");
      const copy = jar.clone();
      jar.delete('refresh_token');
      expect(jar.names()).toEqual([]);
      expect(copy.names()).toEqual(['refresh_token']);
    });
  });

  describe('the transport', () => {
    let server: Server;
    let url: string;
    const sockets = new Set<Socket>();
    /** What the server does with each connection. */
    let behaviour: (socket: Socket) => void;

    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        behaviour(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      closeConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    const answer = (socket: Socket, body = '{"ok":true}', extra = '') =>
      socket.once('data', () => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`));

    it('reads a JSON answer and keeps the connection for the next request', async () => {
      let connections = 0;
      behaviour = (socket) => {
        connections++;
        socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nKeep-Alive: timeout=5\r\n\r\n{"ok":true}'));
      };
      const first = await send(`${url}/x`, { method: 'GET', headers: {} });
      const second = await send(`${url}/y`, { method: 'GET', headers: {} });
      expect([first.body, second.body]).toEqual([{ ok: true }, { ok: true }]);
      expect(connections).toBe(1);
      closeConnections();
    });

    it('sends the path as written, unnormalised', async () => {
      let requestLine = '';
      behaviour = (socket) => {
        socket.once('data', (chunk) => (requestLine = chunk.toString('latin1').split('\r\n')[0]));
        answer(socket);
      };
      await send(`${url}/%2e%2e/a/../b`, { method: 'GET', headers: {}, keepAlive: false });
      expect(requestLine).toBe('GET /%2e%2e/a/../b HTTP/1.1');
    });

    it('gives up after the time limit when no answer comes: ETIMEDOUT, and a NoAnswer from attempt', async () => {
      behaviour = () => undefined;
      const started = Date.now();
      await expect(send(`${url}/hang`, { method: 'GET', headers: {}, timeoutMs: 300 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      expect(Date.now() - started).toBeLessThan(2000);
      const attempt = await new Browser(url, { timeoutMs: 300 }).attempt('get', '/hang');
      expect(attempt).toEqual({ status: 0, error: 'ETIMEDOUT', ms: expect.any(Number) });
    });

    it('retries once on a fresh connection when a pooled one was closed under it', async () => {
      let connections = 0;
      behaviour = (socket) => {
        connections++;
        // The first connection answers, then resets as soon as it is reused; the second answers.
        if (connections === 1) {
          answer(socket);
          socket.once('data', () => socket.once('data', () => socket.resetAndDestroy()));
        } else {
          answer(socket);
        }
      };
      expect((await send(`${url}/a`, { method: 'GET', headers: {} })).status).toBe(200);
      expect((await send(`${url}/b`, { method: 'GET', headers: {} })).status).toBe(200);
      expect(connections).toBe(2);
      closeConnections();
    });

    it('reports a refused connection as ECONNREFUSED', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as { port: number };
      await new Promise((resolve) => probe.close(resolve));
      expect(await new Browser(`http://127.0.0.1:${port}`).attempt('post', 'auth/refresh')).toEqual({ status: 0, error: 'ECONNREFUSED', ms: expect.any(Number) });
    });
  });
});
