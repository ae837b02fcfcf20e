import type { HttpServer } from './server.js';
import type { Watchdog } from './watchdog.js';

/**
 * `/healthz`: the process answers and its event loop is not stalled. `/readyz`: the store is open
 * and the adapters have started. The watchdog stops with the server.
 */
export function registerHealthRoutes(http: HttpServer, deps: { ready: () => boolean; watchdog?: Watchdog }): void {
  const { watchdog } = deps;
  if (watchdog) http.server.once('close', () => watchdog.stop());
  http.route('GET', '/healthz', (_req, res) => {
    const state = watchdog?.state();
    if (state && !state.healthy) {
      const running = state.running.length > 0 ? ` while running ${state.running.join(', ')}` : '';
      const body = `stalled: event loop delay ${Math.round(state.delayMs)} ms${running}\n`;
      res.writeHead(503, { 'content-type': 'text/plain' }).end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  http.route('GET', '/readyz', (_req, res) => {
    const ready = deps.ready();
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'starting\n');
  });
}
