// The bench's yardstick for GET /auth/me: what a team writes by hand when it
// does it carefully. A Nest 11 app on Express with Nest's defaults (its JSON
// body parser included), one global guard that reads the access cookie (or a
// Bearer header) and verifies it with @nestjs/jwt, the secret a KeyObject,
// HS256 only, and GET /profile answering the claims. No helmet, no CSRF, no
// revocation list, no database: everything Latchkey does on top of this is
// what the ratio prices. Prints its port, then serves until killed.
//
//   node tools/bench/guard-app.mjs <jwt secret> [cookie name]
import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { Controller, Get, Injectable, Module, Req, UnauthorizedException } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';

const [secret, cookieName = 'access_token'] = process.argv.slice(2);
if (!secret) throw new Error('usage: guard-app.mjs <jwt secret> [cookie name]');
const key = createSecretKey(Buffer.from(secret));
const verifyOptions = { algorithms: ['HS256'] };

/** The one cookie this guard needs, without a cookie-parser middleware. */
function cookieValue(header, name) {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

class JwtGuard {
  constructor(jwt) {
    this.jwt = jwt;
  }
  canActivate(context) {
    const req = context.switchToHttp().getRequest();
    const auth = req.headers.authorization;
    const token = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : cookieValue(req.headers.cookie, cookieName);
    if (!token) throw new UnauthorizedException();
    try {
      req.user = this.jwt.verify(token, verifyOptions);
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }
}
Injectable()(JwtGuard);
Reflect.defineMetadata('design:paramtypes', [JwtService], JwtGuard);

class ProfileController {
  profile(req) {
    return { id: req.user.sub, sessionId: req.user.sid };
  }
}
Controller()(ProfileController);
const descriptor = Object.getOwnPropertyDescriptor(ProfileController.prototype, 'profile');
Req()(ProfileController.prototype, 'profile', 0);
Get('profile')(ProfileController.prototype, 'profile', descriptor);

class GuardAppModule {}
Module({
  imports: [JwtModule.register({ secret: key, verifyOptions })],
  controllers: [ProfileController],
  providers: [{ provide: APP_GUARD, useClass: JwtGuard }],
})(GuardAppModule);

const app = await NestFactory.create(GuardAppModule, { logger: false });
app.disable('x-powered-by');
await app.listen(0, '127.0.0.1');
const server = app.getHttpServer();
server.keepAliveTimeout = 60_000;
process.stdout.write(`${server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
