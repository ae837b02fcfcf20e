import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBot, startBot } from '../support/bot-process.js';
import { seededBotEnv } from '../support/bot-env.js';

let cleanup: () => void;
let env: Record<string, string>;
beforeEach(() => {
  ({ cleanup, env } = seededBotEnv());
});
afterEach(() => cleanup());

async function waitForPort(bot: ReturnType<typeof startBot>): Promise<number> {
  await bot.waitFor(() => bot.logs().some((line) => line.msg === 'newsdesk ready'), 'ready');
  return Number(bot.logs().find((line) => line.msg === 'http listening')?.port);
}

describe('health, readiness and metrics', () => {
  it('answers /healthz, /readyz and /metrics with ingest, delivery, command and feed figures', async () => {
    // A feed on a loopback address: refused (FEED_ALLOW_PRIVATE is off), and counted as such.
    const feed = 'http://127.0.0.1:9/feed.xml';
    const bot = startBot('main', [], { ...env, FEED_URLS: feed, METRICS_REFRESH_SECONDS: '1' });
    bot.child.stdin.write('/news latest\n');
    const port = await waitForPort(bot);
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    await bot.waitFor(() => bot.stdout().includes('Latest news'), 'the command answer');
    // The ledger gauge is counted on a timer (every second here), not per scrape.
    let metrics = '';
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      metrics = await (await get('/metrics')).text();
      if (/newsdesk_delivery_rows\{state="sent"\} 1/.test(metrics)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(metrics).toMatch(/newsdesk_articles_ingested_total\{status="new",origin="file"\} 1/);
    expect(metrics).toMatch(/newsdesk_delivery_rows\{state="sent"\} 1/);
    expect(metrics).toMatch(/newsdesk_delivery_latency_seconds_count\{platform="console"\} 1/);
    expect(metrics).toMatch(/^newsdesk_build_info\{version="0\.1\.0",commit="[^"]+",node="v\d+/m);
    expect(metrics).toMatch(/newsdesk_deliveries_total\{platform="console",outcome="sent"\} 1/);
    expect(metrics).toMatch(/newsdesk_command_duration_seconds_count\{command="latest",outcome="ok"\} 1/);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    await bot.waitFor(() => bot.logs().some((line) => line.msg === 'feed poll failed'), 'the feed poll');
    expect(await (await get('/metrics')).text()).toMatch(/newsdesk_feed_fetches_total\{result="refused"\} 1/);
    expect((await get('/nope')).status).toBe(404);
    bot.child.stdin.end();
    expect((await bot.exited).code).toBe(0);
  });
});

describe('HTTP_HOST and METRICS_TOKEN', () => {
  it('binds where HTTP_HOST says and keeps /metrics behind the bearer token', async () => {
    const bot = startBot('main', [], { ...env, HTTP_HOST: '127.0.0.1', METRICS_TOKEN: 'scrape-me-please' });
    const port = await waitForPort(bot);
    expect(bot.logs().find((line) => line.msg === 'http listening')?.host).toBe('127.0.0.1');
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-me-please' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^newsdesk_build_info\{/m);
    // Health stays open: probes carry no credentials.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(JSON.stringify(bot.logs())).not.toContain('scrape-me-please');
    bot.child.stdin.end();
    expect((await bot.exited).code).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops on %s within 10 s with exit code 0 and closes the store',
    async (signal) => {
      const bot = startBot('main', [], env);
      await waitForPort(bot);
      const started = Date.now();
      bot.child.kill(signal);
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      const messages = bot.logs().map((line) => line.msg);
      expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    },
  );
});

describe('secrets never reach the logs', () => {
  let server: Server;
  let base: string;
  beforeEach(async () => {
    // A platform that refuses every token, and echoes what it got: the worst case for leaking.
    server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      if (req.url?.includes('/api/') && !req.url.includes('slack')) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `401: Unauthorized ${auth}`, code: 0 }));
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'invalid_auth', warning: auth }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('Discord and Slack tokens and the signing secret are scrubbed, even from errors', async () => {
    const secrets = {
      DISCORD_TOKEN: 'MTAx.discord-secret-token.XYZ',
      SLACK_BOT_TOKEN: 'xoxb-slack-secret-token-123',
      SLACK_SIGNING_SECRET: 'signing-secret-abcdef123456',
      OPENAI_API_KEY: 'sk-openai-secret-key-987',
    };
    const run = await runBot('main', [], {
      ...env,
      ...secrets,
      LOG_LEVEL: 'trace',
      DISCORD_APPLICATION_ID: '1100000000000000001',
      DISCORD_API_URL: `${base}/api`,
      SLACK_API_URL: `${base}/slack/`,
      SUMMARY_PROVIDER: 'openai',
      OPENAI_BASE_URL: `${base}/v1`,
    });
    expect(run.code).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output.length).toBeGreaterThan(200);
    for (const secret of Object.values(secrets)) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
  });
});
