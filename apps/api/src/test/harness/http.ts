import { Agent, IncomingHttpHeaders, OutgoingHttpHeaders, request as httpRequest } from 'node:http';

/** What a request is allowed before it counts as hanging (the fault tests' limit, and everyone's default). */
export const HANG_MS = 10_000;

/** An HTTP answer, read to its end. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw `Set-Cookie` lines. */
  setCookies: string[];
  text: string;
  /** The body's bytes as they came (still content-encoded, if they were). */
  bytes: Buffer;
  /** The parsed body when the answer is JSON, else `{}` (as supertest has it). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** From sending to the last byte. */
  ms: number;
}

/** A network-level failure (refused, reset, no answer within the time limit): no HTTP answer at all. */
export interface NoAnswer {
  status: 0;
  /** The error's code: `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT` (the time limit), … */
  error: string;
  ms: number;
}

export interface RawRequest {
  method: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer | string;
  /** Rejects with code `ETIMEDOUT` when the whole answer has not come by then; default {@link HANG_MS}. */
  timeoutMs?: number;
  /** false: a connection of its own, closed after the answer (`Connection: close`); default: the shared keep-alive pool. */
  keepAlive?: boolean;
}

/**
 * Keep-alive connections, like a browser's, shared by every request of a test
 * file (Node unrefs idle ones, and servers close them when they stop).
 * `closeConnections()` drops them at once, e.g. before a server is killed.
 */
let agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function closeConnections(): void {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: 256 });
}

/**
 * One request over real HTTP to `url` (an origin and a path). The path goes
 * out as written: no URL parsing, so `/%2e%2e/x` or `/A/../b` reach the
 * server unnormalised. A pooled connection the server closed just as it
 * was reused (ECONNRESET before any answer) is retried once on a new one, as
 * browsers do; any other failure rejects, with the error's code.
 */
export async function send(url: string, request: RawRequest): Promise<Answer> {
  const started = Date.now();
  const timeoutMs = request.timeoutMs ?? HANG_MS;
  try {
    return await sendOnce(url, request, timeoutMs, started);
  } catch (error) {
    if (!(error as { retryable?: boolean }).retryable) throw error;
    return sendOnce(url, request, Math.max(1, timeoutMs - (Date.now() - started)), started);
  }
}

function sendOnce(url: string, request: RawRequest, timeoutMs: number, started: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const [, origin, path] = /^(https?:\/\/[^/?#]+)(.*)$/.exec(url) ?? [];
    if (!origin) throw new Error(`not an http URL: ${url}`);
    const { hostname, port } = new URL(origin);
    const options = { host: hostname, port, path: path || '/', method: request.method, headers: request.headers, agent: request.keepAlive === false ? false : agent };
    const req = httpRequest(options, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        const setCookies = res.headers['set-cookie'] ?? [];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies, text, bytes, body: parseBody(res.headers, text), ms: Date.now() - started });
      });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms: ${request.method} ${url}`), { code: 'ETIMEDOUT' })), timeoutMs);
    function fail(error: NodeJS.ErrnoException) {
      clearTimeout(timer);
      const retryable = !answered && req.reusedSocket && error.code === 'ECONNRESET';
      reject(Object.assign(error, { retryable }));
    }
    req.on('error', fail);
    req.end(request.body);
  });
}

function parseBody(headers: IncomingHttpHeaders, text: string): unknown {
  if (!text || !/[/+]json\b/i.test(headers['content-type'] ?? '')) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** The error code of a failed request, as a {@link NoAnswer} names it. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? String(error);
}
