import type { HttpServer } from './server.js';

/** `/healthz`: the process answers. `/readyz`: the store is open and the adapters have started. */
export function registerHealthRoutes(http: HttpServer, deps: { ready: () => boolean }): void {
  http.route('GET', '/healthz', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  http.route('GET', '/readyz', (_req, res) => {
    const ready = deps.ready();
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'starting\n');
  });
}
