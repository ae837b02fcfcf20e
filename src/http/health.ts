import type { HttpServer } from './server.js';
import type { Watchdog } from './watchdog.js';

/** Anything with a live connection to report: the platform adapters (structural, to keep layers apart). */
interface Connected {
  health?(): { connected: boolean; reason?: string };
}

export interface HealthDeps {
  /** Start-up finished and not shutting down. */
  ready: () => boolean;
  /** The adapters running now; each may report its live connection. */
  adapters?: () => Partial<Record<string, Connected>>;
  /** A cheap read that fails when the store is unreachable. */
  probeStore?: () => Promise<unknown>;
  /** A probe slower than this counts as unreachable (default 1 s). */
  probeTimeoutMs?: number;
  /** Event-loop stall detection; it stops with the server. */
  watchdog?: Watchdog;
}

/** Probes are answered from a result this fresh, so a busy prober does not load the database. */
const PROBE_CACHE_MS = 1_000;

/**
 * `/healthz`: the process is alive and answering (the liveness probe: restart when it fails).
 * `/readyz`: started, every enabled adapter connected, the store reachable, right now (the
 * readiness probe: take the replica out of rotation while it fails, and back once it passes).
 * `/healthz` also fails while the event loop stays stalled (the watchdog).
 */
export function registerHealthRoutes(http: HttpServer, deps: HealthDeps): void {
  const timeoutMs = deps.probeTimeoutMs ?? 1_000;
  const { watchdog } = deps;
  if (watchdog) http.server.once('close', () => watchdog.stop());
  let lastProbe: { at: number; result: Promise<string | undefined> } | undefined;

  /** undefined when the store answered; otherwise why not. */
  function storeProblem(): Promise<string | undefined> {
    const probe = deps.probeStore;
    if (!probe) return Promise.resolve(undefined);
    if (lastProbe && Date.now() - lastProbe.at < PROBE_CACHE_MS) return lastProbe.result;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`store did not answer within ${timeoutMs} ms`), timeoutMs);
    });
    const result = Promise.race([probe().then(() => undefined), timeout])
      .catch((err: unknown) => `store unreachable: ${err instanceof Error ? err.message : String(err)}`)
      .finally(() => clearTimeout(timer));
    lastProbe = { at: Date.now(), result };
    return result;
  }

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
  http.route('GET', '/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    const reasons: string[] = [];
    if (!deps.ready()) {
      reasons.push('starting or stopping');
    } else {
      for (const [name, adapter] of Object.entries(deps.adapters?.() ?? {})) {
        const health = adapter?.health?.();
        if (!health) continue;
        checks[name] = health.connected ? 'connected' : (health.reason ?? 'not connected');
        if (!health.connected) reasons.push(`${name}: ${checks[name]}`);
      }
      const store = await storeProblem();
      checks.store = store ?? 'ok';
      if (store) reasons.push(store);
    }
    const ready = reasons.length === 0;
    const body = ready ? { status: 'ready', checks } : { status: 'not ready', reason: reasons.join('; '), checks };
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    res.writeHead(ready ? 200 : 503, headers).end(`${JSON.stringify(body)}\n`);
  });
}
