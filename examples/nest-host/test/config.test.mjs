// The AuthConfig this host builds by hand (src/auth-config.factory.ts) is validated by
// Latchkey like its own environment config: a bad value stops start-up, exit code 1,
// with a ConfigError naming the field. Starts `node dist/main.js` itself (no server needed).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..');

function boot(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: EXAMPLE, env: { ...process.env, PORT: '0', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 15 s:\n${output}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('a non-numeric TTL stops start-up with a ConfigError naming AuthConfig.accessTokenTtlSeconds', async () => {
  const { code, output } = await boot({ ACCESS_TOKEN_TTL_SECONDS: 'soon' });
  assert.equal(code, 1, output);
  assert.match(output, /Configuration error: AuthConfig\.accessTokenTtlSeconds: /);
  assert.doesNotMatch(output, /listening on/);
});

test('an access TTL longer than the refresh TTL stops start-up naming the field', async () => {
  const { code, output } = await boot({ ACCESS_TOKEN_TTL_SECONDS: String(60 * 86_400) });
  assert.equal(code, 1, output);
  assert.match(output, /Configuration error: AuthConfig\.(refreshTokenTtlSeconds|accessTokenTtlSeconds): /);
  assert.doesNotMatch(output, /listening on/);
});
