#!/usr/bin/env node
// Nx `runtime` input of the test targets (nx.json): which database the tests run against,
// never its name. Each test file makes its own database on the DATABASE_URL server, and
// .ci/run names a new DATABASE_URL database every run: hashing the whole URL meant the
// test cache could never hit. No credentials either: they are not part of what is tested.
const raw = process.env.DATABASE_URL;

function kind(url) {
  if (!url) return 'pglite'; // the embedded default
  try {
    const { protocol, hostname, port } = new URL(url);
    return `${protocol}//${hostname}:${port || '5432'}`;
  } catch {
    return 'unparsable'; // the tests then fail on their own, and failures are not cached
  }
}

console.log(kind(raw));
