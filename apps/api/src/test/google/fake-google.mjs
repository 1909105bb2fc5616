// Google's OAuth 2.0 endpoints, played by oauth2-mock-server in a child process
// (it is ESM-only and its key checks fail inside Jest's module sandbox).
// IPC: the parent sends { user } before each sign-in; we answer { ok: true }.
import { Events, OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');

let nextUser = { sub: 'nobody' };
server.service.on(Events.BeforeUserinfo, (userinfo) => {
  userinfo.body = { ...nextUser };
});

process.on('message', (message) => {
  if (message && message.user) {
    nextUser = message.user;
    process.send({ ok: true });
  }
});
process.on('disconnect', () => server.stop().finally(() => process.exit(0)));
process.send({ url: server.issuer.url });
