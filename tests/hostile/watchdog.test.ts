import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { registerHealthRoutes } from '../../src/http/health.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createWatchdog } from '../../src/http/watchdog.js';

const block = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // A synchronous stall, as a backtracking regex or a quadratic loop would cause.
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the event-loop watchdog behind /healthz', () => {
  let http: HttpServer | undefined;
  afterEach(async () => http?.close());

  it('fails /healthz after a sustained stall, names what was running, and recovers', async () => {
    const logged: { level: number; obj: Record<string, unknown> }[] = [];
    const write = (line: string) => void logged.push({ level: JSON.parse(line).level, obj: JSON.parse(line) });
    const log = pino({ level: 'info' }, { write });
    const watchdog = createWatchdog({ log, thresholdMs: 100, sustainMs: 300, sampleMs: 100 });
    http = createHttpServer({ log });
    registerHealthRoutes(http, { ready: () => true, watchdog });
    const port = await http.listen(0, '127.0.0.1');
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: res.status, body: await res.text() };
    };
    expect(await health()).toEqual({ status: 200, body: 'ok\n' });

    // Work that starts and ends inside the stall is still named.
    await watchdog.track('ingest hostile.xml', async () => block(800));
    await sleep(150);
    const during = await health();
    expect(during.status).toBe(503);
    expect(during.body).toMatch(/^stalled: event loop delay \d+ ms while running ingest hostile\.xml/);
    expect(watchdog.state().worstMs).toBeGreaterThanOrEqual(600);
    const stalled = logged.find((entry) => entry.obj.msg === 'event loop stalled: /healthz fails');
    expect(stalled?.obj).toMatchObject({ running: ['ingest hostile.xml'] });

    await sleep(500);
    expect(await health()).toEqual({ status: 200, body: 'ok\n' });
    expect(logged.some((entry) => entry.obj.msg === 'event loop recovered: /healthz passes again')).toBe(true);
  });

  it('a short blip under the sustain time does not fail /healthz', async () => {
    const log = pino({ level: 'silent' });
    const watchdog = createWatchdog({ log, thresholdMs: 100, sustainMs: 2_000, sampleMs: 100 });
    http = createHttpServer({ log });
    registerHealthRoutes(http, { ready: () => true, watchdog });
    const port = await http.listen(0, '127.0.0.1');
    block(300);
    await sleep(150);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(watchdog.state().worstMs).toBeGreaterThan(150);
  });
});
