import { randomUUID } from 'node:crypto';
import { Controller, Get, INestApplication, Req, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';
import request from 'supertest';
import { authCookieNames } from '@latchkey/auth-contract';
import { JwtModule } from '@nestjs/jwt';
import { AUTH_CONFIG, USER_STORE } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { Public } from '../decorators/public.decorator';
import { RevocationRegistry } from '../sessions/revocation-registry';
import { signingKeyForTypings } from '../tokens/signing-key';
import { JwtAuthGuard } from './jwt-auth.guard';
import { AuthEventLogger } from '../events/auth-event-logger';
import { SessionStore } from '../sessions/session.store';
import { TokenService } from '../sessions/token.service';
import { AUTH_MESSAGES } from '../auth-messages';

const SECRET = 'jwt-auth-guard-spec-secret-long-enough-for-hs256';

/** What the guard leaves on the request. */
type GuardedRequest = Request & { user?: unknown };
const COOKIE = authCookieNames(false).access;

@Controller()
class ProbeController {
  @Get('private')
  whoAmI(@Req() req: GuardedRequest) {
    return req.user;
  }

  @Public()
  @Get('public')
  open() {
    return { open: true };
  }

  /** Guarded twice, as the auth controllers are (their own guard plus the global one). */
  @UseGuards(JwtAuthGuard)
  @Get('guarded-twice')
  twice(@Req() req: GuardedRequest) {
    return req.user;
  }
}

@Public()
@Controller('open-class')
class PublicController {
  @Get()
  open() {
    return { open: true };
  }
}

/**
 * The guard as AuthModule wires it (global guard), on the real TokenService
 * and JwtService, with an in-memory revocation list. Verifying an access
 * token touches neither the session store, the event log nor the users.
 */
async function guardedApp(secret = SECRET) {
  const revoked = new Set<string>();
  const revocations = { isRevoked: jest.fn((id: string) => revoked.has(id)) };
  const moduleRef = await Test.createTestingModule({
    imports: [JwtModule.register({ secret: signingKeyForTypings(secret), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } })],
    controllers: [ProbeController, PublicController],
    providers: [
      { provide: AUTH_CONFIG, useValue: { cookieNames: authCookieNames(false), jwtSecret: secret } as AuthConfig },
      { provide: RevocationRegistry, useValue: revocations },
      { provide: SessionStore, useValue: {} },
      { provide: AuthEventLogger, useValue: {} },
      { provide: USER_STORE, useValue: {} },
      TokenService,
      JwtAuthGuard,
      { provide: APP_GUARD, useExisting: JwtAuthGuard },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.use(cookieParser());
  await app.init();
  return { app, revoked, revocations };
}

const jwt = new JwtService({});
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}) {
  return { sub: randomUUID(), sid: randomUUID(), iat: now(), exp: now() + 900, ...overrides };
}

function sign(payload: object, options: { secret?: string; algorithm?: 'HS256' | 'HS384' | 'HS512' } = {}): string {
  return jwt.sign(payload, { secret: signingKeyForTypings(options.secret ?? SECRET), algorithm: options.algorithm ?? 'HS256' });
}

function unsigned(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

describe('JwtAuthGuard', () => {
  let app: INestApplication;
  let revoked: Set<string>;
  let revocations: { isRevoked: jest.Mock };
  beforeAll(async () => {
    ({ app, revoked, revocations } = await guardedApp());
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => {
    revoked.clear();
    revocations.isRevoked.mockClear();
  });

  const http = () => request(app.getHttpServer());

  async function expectUnauthenticated(test: request.Test) {
    const res = await test.expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: AUTH_MESSAGES.unauthenticated });
  }

  it('lets anyone through a @Public() route or controller, whatever token they send', async () => {
    await http().get('/public').expect(200, { open: true });
    await http().get('/public').set('Authorization', 'Bearer garbage').expect(200);
    await http().get('/open-class').set('Cookie', `${COOKIE}=garbage`).expect(200, { open: true });
  });

  it('refuses a route without a token', async () => {
    await expectUnauthenticated(http().get('/private'));
  });

  it('accepts a valid token from the access cookie and puts the caller on the request', async () => {
    const c = claims();
    const res = await http().get('/private').set('Cookie', `${COOKIE}=${sign(c)}`).expect(200);
    expect(res.body).toEqual({ userId: c.sub, sessionId: c.sid, accessTokenExpiresAt: new Date(c.exp * 1000).toISOString() });
  });

  it('accepts a valid token from Authorization: Bearer', async () => {
    const c = claims();
    const res = await http().get('/private').set('Authorization', `Bearer ${sign(c)}`).expect(200);
    expect(res.body).toMatchObject({ userId: c.sub, sessionId: c.sid });
  });

  it('with an Authorization header, never falls back to the cookie', async () => {
    const cookie = `${COOKIE}=${sign(claims())}`;
    await expectUnauthenticated(http().get('/private').set('Cookie', cookie).set('Authorization', 'Bearer not-a-token'));
    await expectUnauthenticated(http().get('/private').set('Cookie', cookie).set('Authorization', 'Basic YWRhOnNlY3JldA=='));
  });

  it('a Bearer token wins over a cookie of another user', async () => {
    const bearer = claims();
    const res = await http().get('/private').set('Cookie', `${COOKIE}=${sign(claims())}`).set('Authorization', `Bearer ${sign(bearer)}`).expect(200);
    expect(res.body).toMatchObject({ userId: bearer.sub });
  });

  it('is HS256 only: HS384, HS512 (same key) and alg none are refused', async () => {
    const c = claims();
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(c, { algorithm: 'HS384' })}`));
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(c, { algorithm: 'HS512' })}`));
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${unsigned(c)}`));
    await expectUnauthenticated(http().get('/private').set('Cookie', `${COOKIE}=${unsigned(c)}`));
  });

  it('refuses a token signed with another key', async () => {
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(claims(), { secret: `${SECRET}-other` })}`));
  });

  it('refuses an expired token', async () => {
    const expired = claims({ iat: now() - 901, exp: now() - 1 });
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(expired)}`));
    await expectUnauthenticated(http().get('/private').set('Cookie', `${COOKIE}=${sign(expired)}`));
  });

  it('refuses a token whose claims are not a Latchkey session', async () => {
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(claims({ sub: 'admin' }))}`));
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(claims({ sid: undefined }))}`));
    const withoutExp: Record<string, unknown> = claims();
    delete withoutExp['exp'];
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(withoutExp)}`));
  });

  it('refuses a revoked session’s token at once; other sessions carry on', async () => {
    const stolen = claims();
    const other = claims({ sub: stolen.sub });
    await http().get('/private').set('Cookie', `${COOKIE}=${sign(stolen)}`).expect(200);
    revoked.add(stolen.sid);
    await expectUnauthenticated(http().get('/private').set('Cookie', `${COOKIE}=${sign(stolen)}`));
    await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${sign(stolen)}`));
    await http().get('/private').set('Cookie', `${COOKIE}=${sign(other)}`).expect(200);
  });

  it('verifies once per request when a route is guarded twice, and still refuses without a token', async () => {
    const c = claims();
    const res = await http().get('/guarded-twice').set('Authorization', `Bearer ${sign(c)}`).expect(200);
    expect(res.body).toMatchObject({ sessionId: c.sid });
    expect(revocations.isRevoked).toHaveBeenCalledTimes(1);
    await expectUnauthenticated(http().get('/guarded-twice'));
  });

  it('two apps in one process keep their own keys', async () => {
    const other = await guardedApp(`${SECRET}-of-another-app`);
    try {
      const ours = sign(claims());
      const theirs = sign(claims(), { secret: `${SECRET}-of-another-app` });
      await request(other.app.getHttpServer()).get('/private').set('Authorization', `Bearer ${theirs}`).expect(200);
      await request(other.app.getHttpServer()).get('/private').set('Authorization', `Bearer ${ours}`).expect(401);
      await http().get('/private').set('Authorization', `Bearer ${ours}`).expect(200);
      await expectUnauthenticated(http().get('/private').set('Authorization', `Bearer ${theirs}`));
    } finally {
      await other.app.close();
    }
  });
});
