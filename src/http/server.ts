import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  /** Serve `method path` (exact path, query ignored). Later routes replace earlier ones. */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly server: Server;
}

/** The one HTTP server: platform webhooks, health and metrics share it. */
export function createHttpServer(deps: { log: Logger }): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes.get(`${req.method} ${path}`);
    if (!handler) {
      const allowed = [...routes.keys()].some((key) => key.endsWith(` ${path}`));
      res.writeHead(allowed ? 405 : 404, { 'content-type': 'text/plain' }).end(allowed ? 'method not allowed\n' : 'not found\n');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        deps.log.error({ err, path }, 'http handler failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
  });
  // Bounded so a slow client cannot hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  return {
    server,
    route(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
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
