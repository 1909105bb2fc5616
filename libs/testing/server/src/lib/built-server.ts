import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BUILT_SERVER, workspaceRoot } from './workspace';

type Env = Record<string, string | undefined>;

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
  /** Sends a signal (SIGKILL after 10 s) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function spawnServer(env: Env, port: number): ChildProcess {
  return spawn(process.execPath, [BUILT_SERVER], {
    cwd: workspaceRoot(),
    env: { PATH: process.env['PATH'], NO_COLOR: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `node dist/apps/api/main.js` as a newcomer would; resolves once it answers. */
export async function startBuiltServer(env: Env): Promise<BuiltServer> {
  const port = await freePort();
  const child = spawnServer(env, port);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
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
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}

/** Runs the built server expecting it to refuse to start; resolves with its exit code and output. */
export async function runBuiltServerToExit(env: Env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnServer(env, await freePort());
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
