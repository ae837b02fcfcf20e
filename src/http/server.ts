import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { holdRequest, type PendingRoute } from './pending-route.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  /** Serve `method path` (exact path, query ignored). Later routes replace earlier ones. */
  route(method: string, path: string, handler: RouteHandler): void;
  /**
   * This route will be served soon (an adapter still starting): until `route` serves it, requests
   * are prechecked, then held, then handed to the handler, or answered 503 after `holdMs`.
   */
  expect(method: string, path: string, pending: PendingRoute): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly server: Server;
}

/** The one HTTP server: platform webhooks, health and metrics share it. */
export function createHttpServer(deps: { log: Logger }): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const pending = new Map<string, PendingRoute>();
  const waiters = new Map<string, Set<() => void>>();

  /** The handler for `key` once it is served, or undefined after `timeoutMs`. */
  function served(key: string, timeoutMs: number): Promise<RouteHandler | undefined> {
    const now = routes.get(key);
    if (now || timeoutMs <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const set = waiters.get(key) ?? new Set();
      waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve(routes.get(key));
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  const fail = (res: ServerResponse, path: string) => (err: unknown) => {
    deps.log.error({ err, path }, 'http handler failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error\n');
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${req.method} ${path}`;
    const handler = routes.get(key);
    const expected = handler ? undefined : pending.get(key);
    if (expected) {
      holdRequest(req, res, expected, (timeoutMs) => served(key, timeoutMs)).catch(fail(res, path));
      return;
    }
    if (!handler) {
      const allowed = [...routes.keys()].some((key) => key.endsWith(` ${path}`));
      res
        .writeHead(allowed ? 405 : 404, { 'content-type': 'text/plain' })
        .end(allowed ? 'method not allowed\n' : 'not found\n');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(fail(res, path));
  });
  // Bounded so a slow client cannot hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  return {
    server,
    route(method, path, handler) {
      const key = `${method.toUpperCase()} ${path}`;
      routes.set(key, handler);
      for (const wake of [...(waiters.get(key) ?? [])]) wake();
      waiters.delete(key);
    },
    expect(method, path, route) {
      pending.set(`${method.toUpperCase()} ${path}`, route);
    },
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
