import { startTestApp, TestApp } from '../test-app';
import { Browser, expectApiError, expectThrottled, PASSWORD, uniqueEmail, uniqueIp } from '../harness';

/** The contract's per-IP limit on failed sign-ins. */
const FAILURES_PER_IP = 20;

/** A client that puts a made-up address of its choice in front of the X-Forwarded-For its proxy sends. */
function spoofing(t: TestApp, i: number, proxiedIp: string): Browser {
  return new Browser(t, { ip: `203.0.113.${i % 250}, ${proxiedIp}` });
}

async function failLoginsWithSpoofedAddresses(t: TestApp, proxiedIp: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expectApiError(await spoofing(t, i, proxiedIp).login({ email: uniqueEmail('spoof'), password: PASSWORD }), 401);
}

/**
 * The requests come from loopback (harness browsers), as from a reverse proxy on the
 * same host that appends the address it saw to X-Forwarded-For.
 */
describe.each([
  ['1', 'a hop count'],
  ['127.0.0.1', 'the proxy’s address'],
  ['10.0.0.0/8,loopback', 'subnets and Express’ names'],
])('TRUST_PROXY=%s (%s)', (trustProxy) => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: trustProxy })));
  afterAll(() => t?.close());

  it('counts the address the proxy saw: made-up entries in front of it change nothing, and the limit holds', async () => {
    // With 10.0.0.0/8 trusted too, the client's own address must lie outside it.
    const proxiedIp = trustProxy.includes('10.0.0.0/8') ? '198.51.100.7' : uniqueIp();
    await failLoginsWithSpoofedAddresses(t, proxiedIp, FAILURES_PER_IP);
    expectThrottled(await spoofing(t, 999, proxiedIp).login({ email: uniqueEmail('spoof'), password: PASSWORD }));
  });
});

/** Outside production `true` stays allowed (the tests give each simulated browser its own address with it); this is why production refuses it. */
describe('TRUST_PROXY=true (development only)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
  afterAll(() => t?.close());

  it('lets every client pick its address: the leftmost entry counts', async () => {
    const proxiedIp = uniqueIp();
    await failLoginsWithSpoofedAddresses(t, proxiedIp, FAILURES_PER_IP + 5);
  });
});
