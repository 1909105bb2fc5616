import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BUILT_SERVER, workspaceRoot } from './workspace';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

export interface BuiltServer {
  readonly url: string;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `node dist/apps/api/main.js` (the API and the PWA on one origin); resolves once it is healthy. */
export async function startBuiltServer(env: Record<string, string | undefined>): Promise<BuiltServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [BUILT_SERVER], {
    cwd: workspaceRoot(),
    env: { PATH: process.env['PATH'], NO_COLOR: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  // 127.0.0.1 is a secure context for Chromium: Web Locks and service workers work over http.
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within 60 s:\n${output}`);
    }
    const isUp = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (isUp) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
