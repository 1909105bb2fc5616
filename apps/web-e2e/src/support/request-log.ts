import { BrowserContext, Request } from 'playwright-core';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly request: Request;
}

/** Every request any tab of a browser makes, to count API calls between two moments. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      this.entries.push({ method: request.method(), path: new URL(request.url()).pathname, request });
    });
  }

  /** A point in time to count from. */
  mark(): number {
    return this.entries.length;
  }

  since(mark: number, method: string, path: string): LoggedRequest[] {
    return this.entries.slice(mark).filter((entry) => entry.method === method && entry.path === path);
  }

  count(mark: number, method: string, path: string): number {
    return this.since(mark, method, path).length;
  }

  /** The status each of those requests was answered with (0: no response). */
  async statuses(mark: number, method: string, path: string): Promise<number[]> {
    const responses = await Promise.all(this.since(mark, method, path).map((e) => e.request.response()));
    return responses.map((response) => response?.status() ?? 0);
  }
}
