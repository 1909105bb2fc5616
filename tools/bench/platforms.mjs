#!/usr/bin/env node
// `node tools/bench/platforms.mjs`: what the HTTP platform under Nest costs, on
// this machine. A Nest 11 app with one GET route answering {"status":"ok"} on
// @nestjs/platform-express and on @nestjs/platform-fastify, against bare
// node:http, 3 alternating rounds (median, min–max). The Fastify adapter is not
// a dependency of the workspace: install it for the run with
//   npm i --no-save @nestjs/platform-fastify@11
// The figures behind the platform decision are in README.md.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const SECONDS = Number(process.env.BENCH_DURATION || 3);

if (process.argv[2] === 'serve') await serve(process.argv[3]);
else await compare();

async function serve(platform) {
  await import('reflect-metadata');
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  class HelloController {
    hello() {
      return { status: 'ok' };
    }
  }
  Controller()(HelloController);
  Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));
  class HelloModule {}
  Module({ controllers: [HelloController] })(HelloModule);
  let adapter;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    adapter = new FastifyAdapter();
  }
  const app = adapter ? await NestFactory.create(HelloModule, adapter, { logger: false }) : await NestFactory.create(HelloModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`${app.getHttpServer().address().port}\n`);
}

async function start(args, path) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    child.stdout.once('data', (chunk) => resolvePort(Number(String(chunk).trim())));
  });
  return { url: `http://127.0.0.1:${port}${path}`, stop: () => child.kill('SIGKILL') };
}

async function compare() {
  try {
    createRequire(import.meta.url).resolve('@nestjs/platform-fastify');
  } catch {
    console.error('@nestjs/platform-fastify is not installed: npm i --no-save @nestjs/platform-fastify@11');
    process.exit(2);
  }
  const me = fileURLToPath(import.meta.url);
  const targets = {
    'bare node:http': await start([join(HERE, 'hello-server.mjs')], '/'),
    'Nest on Express': await start([me, 'serve', 'express'], '/hello'),
    'Nest on Fastify': await start([me, 'serve', 'fastify'], '/hello'),
  };
  const rps = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, target] of Object.entries(targets)) {
        const result = await autocannon({ url: target.url, connections: 50, duration: SECONDS });
        rps[name].push(result['2xx'] / (result.duration || SECONDS));
      }
    }
  } finally {
    for (const target of Object.values(targets)) target.stop();
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const base = median(rps['bare node:http']);
  for (const [name, values] of Object.entries(rps)) {
    const m = median(values);
    console.log(`${name.padEnd(16)} ${m.toFixed(0).padStart(6)} rps (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})  ÷ node:http ${(m / base).toFixed(2)}`);
  }
}
