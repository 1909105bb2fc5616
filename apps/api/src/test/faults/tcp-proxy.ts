import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

export type ProxyState = 'open' | 'cut' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held back while blackholed, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/**
 * A TCP proxy between the API and PostgreSQL that a test controls:
 * - `cut()`: the database host is gone. Every connection is destroyed and the
 *   port stops listening, so new connections are refused (ECONNREFUSED).
 * - `blackhole()`: a network partition. Connections stay open but no byte
 *   gets through in either direction, and new connections get no answer.
 * - `restore()`: the network is back (after a blackhole, held bytes flow on).
 */
export class TcpProxy {
  private server: Server;
  private readonly pairs = new Set<Pair>();
  private state: ProxyState = 'open';
  private port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = this.createListener();
  }

  /** A proxy on a free loopback port, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await proxy.listen(0);
    return proxy;
  }

  /** A proxy to the server of a `postgres://` URL. */
  static forUrl(url: string): Promise<TcpProxy> {
    const parsed = new URL(url);
    return TcpProxy.start({ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 5432) });
  }

  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  get current(): ProxyState {
    return this.state;
  }

  /** Connections currently forwarded (or held). */
  get connections(): number {
    return this.pairs.size;
  }

  async cut(): Promise<void> {
    if (this.state === 'cut') return;
    this.state = 'cut';
    for (const pair of this.pairs) this.drop(pair, true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  blackhole(): void {
    if (this.state !== 'open') throw new Error(`cannot blackhole a ${this.state} proxy`);
    this.state = 'blackhole';
  }

  async restore(): Promise<void> {
    const was = this.state;
    this.state = 'open';
    if (was === 'cut') {
      this.server = this.createListener();
      await this.listen(this.port);
    }
    if (was === 'blackhole') {
      for (const pair of this.pairs) {
        for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
        for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
      }
    }
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private createListener(): Server {
    return createServer((client) => this.accept(client));
  }

  private listen(port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.removeListener('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.setNoDelay(true);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    client.on('data', (chunk) => (this.state === 'open' ? upstream.write(chunk) : pair.toUpstream.push(chunk)));
    upstream.on('data', (chunk) => (this.state === 'open' ? client.write(chunk) : pair.toClient.push(chunk)));
    client.once('close', () => this.drop(pair, false));
    upstream.once('close', () => this.drop(pair, false));
  }

  /** Ends both sides; `reset` sends the client an RST, as a dead host's kernel would. */
  private drop(pair: Pair, reset: boolean): void {
    if (!this.pairs.delete(pair)) return;
    if (reset) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.upstream.destroy();
  }
}
