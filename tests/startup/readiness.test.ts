import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { registerHealthRoutes } from '../../src/http/health.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { startHarness, type Harness } from '../discord/harness.js';

const silent = pino({ level: 'silent' });

async function readyz(
  base: string,
): Promise<{ status: number; body: { status: string; reason?: string; checks: Record<string, string> } }> {
  const response = await fetch(`${base}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as { status: string; reason?: string; checks: Record<string, string> },
  };
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The real discord.js client against the fake gateway, behind the real /readyz. */
describe('/readyz tells the live truth', () => {
  let harness: Harness | undefined;
  let http: HttpServer | undefined;
  afterEach(async () => {
    await http?.close();
    await harness?.close();
    harness = http = undefined;
  });

  it('goes 503 with a reason while the gateway is down past the grace period, 200 again once it resumes; and 503 when the store is gone', async () => {
    harness = await startHarness({ adapter: { reconnectGraceMs: 1_000 } });
    const h = harness;
    http = createHttpServer({ log: silent });
    registerHealthRoutes(http, {
      ready: () => true,
      adapters: () => ({ discord: h.adapter }),
      probeStore: () => h.stores.meta.getMeta('readyz'),
    });
    const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    expect(await readyz(base)).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { discord: 'connected', store: 'ok' } },
    });

    h.fake.gateway.down();
    const down = await until(
      async () => {
        const answer = await readyz(base);
        return answer.status === 503 ? answer : undefined;
      },
      '/readyz to go 503',
      15_000,
    );
    expect(down.body.status).toBe('not ready');
    expect(down.body.reason).toMatch(/^discord: gateway/);
    expect(down.body.checks.store).toBe('ok');

    h.fake.gateway.up();
    const back = await until(
      async () => {
        const answer = await readyz(base);
        return answer.status === 200 ? answer : undefined;
      },
      '/readyz to be 200 again',
      30_000,
    );
    expect(back.body.checks.discord).toBe('connected');
    // It resumed the session rather than starting a new one.
    expect(h.fake.gateway.count(h.fake.gateway.OP.resume)).toBeGreaterThan(0);

    await h.stores.close();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // probes are cached for a second
    const noStore = await readyz(base);
    expect(noStore.status).toBe(503);
    expect(noStore.body.reason).toMatch(/store unreachable/);
  });
});
