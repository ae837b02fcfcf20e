import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBuildInfo } from '../../src/http/build-info.js';
import { createMetrics, registerMetricsRoute, type Metrics } from '../../src/http/metrics.js';
import { toOpenMetrics, wantsOpenMetrics } from '../../src/http/openmetrics.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { registerStoreGauges, type StoreGauges } from '../../src/http/store-gauges.js';
import { expositionProblems, pythonOpenMetricsVerdict, readFamilies } from '../support/exposition.js';
import { projectRoot } from '../support/paths.js';
import { seededRuntime, silentLog } from '../support/runtime.js';

const PROMETHEUS_ACCEPT = [
  'application/openmetrics-text;version=1.0.0',
  'application/openmetrics-text;version=0.0.1;q=0.75',
  'text/plain;version=0.0.4;q=0.5',
  '*/*;q=0.1',
].join(',');
/** The family clash the old `newsdesk_deliveries` gauge made with the `newsdesk_deliveries_total` counter. */
const CLASH = [
  '# TYPE newsdesk_deliveries gauge',
  'newsdesk_deliveries 1',
  '# TYPE newsdesk_deliveries_total counter',
  'newsdesk_deliveries_total 1',
  '',
].join('\n');

let runtime: Awaited<ReturnType<typeof seededRuntime>>;
let metrics: Metrics;
let gauges: StoreGauges;
let http: HttpServer;
let base: string;

async function serve(token?: string): Promise<void> {
  http = createHttpServer({ log: silentLog });
  registerMetricsRoute(http, metrics, { token });
  base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
}

beforeEach(async () => {
  runtime = await seededRuntime();
  metrics = createMetrics({ build: readBuildInfo(projectRoot) });
  // Long enough that only refresh() counts during a test.
  gauges = registerStoreGauges(metrics, { stores: runtime.stores, log: silentLog, refreshMs: 3_600_000 });
  await gauges.refresh();
  // Something in every family of ours, so the histograms have buckets to check.
  metrics.deliveries.inc({ platform: 'discord', outcome: 'sent' });
  metrics.deliveryLatencySeconds.observe({ platform: 'discord' }, 42);
  metrics.deliveryLatencySeconds.observe({ platform: 'slack' }, 0.5);
  metrics.commandSeconds.observe({ command: 'latest', outcome: 'ok' }, 0.004);
  metrics.rateLimitWaitSeconds.observe({ platform: 'slack' }, 1.5);
  metrics.rateLimited.inc({ platform: 'slack' });
  metrics.feedFetches.inc({ result: 'ok' });
  metrics.articlesIngested.inc({ status: 'new', origin: 'file' });
  metrics.fullTextFetches.inc({ outcome: 'teaser', reason: 'status_5xx' });
  metrics.fullTextExtractSeconds.observe(0.012);
  metrics.fullTextRetriesPending.set(3);
});

afterEach(async () => {
  gauges.stop();
  await http?.close();
  await runtime.cleanup();
});

describe('/metrics exposition', () => {
  it('follows the text format rules, in Prometheus text and in OpenMetrics', async () => {
    await serve();
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(expositionProblems(text, { openMetrics: false })).toEqual([]);
    const answer = await fetch(`${base}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } });
    expect(answer.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    const open = await answer.text();
    expect(expositionProblems(open, { openMetrics: true })).toEqual([]);
    expect(open).toMatch(/^# TYPE newsdesk_deliveries counter$/m);
    expect(open).toMatch(/^newsdesk_deliveries_total\{platform="discord",outcome="sent"\} 1$/m);
  });

  it('is accepted by Prometheus’ strict OpenMetrics parser (python3-prometheus-client)', async (ctx) => {
    await serve();
    const open = await (await fetch(`${base}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } })).text();
    const verdict = pythonOpenMetricsVerdict(open);
    if (verdict === undefined) {
      console.warn('SKIPPED: no python3 with prometheus_client here (apt-get install python3-prometheus-client)');
      ctx.skip();
    }
    expect(verdict).toBe('');
    // The parser is not a pushover: the clash the old gauge made is refused.
    expect(pythonOpenMetricsVerdict(toOpenMetrics(CLASH))).not.toBe('');
  });

  it('the rule checker catches the mistakes it is there for', () => {
    expect(expositionProblems(CLASH, { openMetrics: false }).join()).toMatch(/clashes with newsdesk_deliveries/);
    expect(expositionProblems('# TYPE x_total gauge\nx_total 1\n', { openMetrics: false }).join()).toMatch(
      /_total on a gauge/,
    );
    const falling = '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 1\n';
    expect(expositionProblems(falling, { openMetrics: false }).join()).toMatch(/bucket counts fall/);
    expect(expositionProblems('# TYPE g gauge\ng 1\n# TYPE g gauge\ng 2\n', { openMetrics: false }).join()).toMatch(
      /more than one TYPE/,
    );
  });

  it('has standard unprefixed process and Node.js metrics, event-loop lag and build info', async () => {
    await serve();
    const families = readFamilies(await (await fetch(`${base}/metrics`)).text());
    const names = families.map((family) => family.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'process_resident_memory_bytes',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_heap_size_used_bytes',
      ]),
    );
    expect(names.filter((name) => name.startsWith('newsdesk_process') || name.startsWith('newsdesk_nodejs'))).toEqual(
      [],
    );
    expect(names.filter((name) => !/^(newsdesk|process|nodejs)_/.test(name))).toEqual([]);
    const build = families.find((family) => family.name === 'newsdesk_build_info');
    expect(build?.samples).toEqual([
      {
        name: 'newsdesk_build_info',
        labels: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), commit: expect.any(String), node: process.version },
        value: 1,
      },
    ]);
  });

  it('has an article-to-post latency histogram per platform', async () => {
    await serve();
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^newsdesk_delivery_latency_seconds_bucket\{le="30",platform="discord"\} 0$/m);
    expect(text).toMatch(/^newsdesk_delivery_latency_seconds_bucket\{le="60",platform="discord"\} 1$/m);
    expect(text).toMatch(/^newsdesk_delivery_latency_seconds_count\{platform="slack"\} 1$/m);
  });
});

describe('store gauges', () => {
  it('serve cached counts: a scrape reads no rows, refresh() counts again', async () => {
    await serve();
    const scrape = async () => (await fetch(`${base}/metrics`)).text();
    expect(await scrape()).toMatch(/^newsdesk_articles_stored 1$/m);
    expect(await scrape()).toMatch(/^newsdesk_delivery_rows\{state="pending"\} 0$/m);
    let counted = 0;
    const { articles, deliveries } = runtime.stores;
    const count = articles.count.bind(articles);
    articles.count = async () => {
      counted += 1;
      return count();
    };
    const byState = deliveries.countByState.bind(deliveries);
    deliveries.countByState = async () => {
      counted += 1;
      return byState();
    };
    for (let i = 0; i < 20; i++) await scrape();
    expect(counted).toBe(0);
    await gauges.refresh();
    expect(counted).toBe(2);
    expect(await scrape()).toMatch(/^newsdesk_store_gauges_refreshed_timestamp_seconds \d+(\.\d+)?(e\+\d+)?$/m);
  });

  it('refresh on the timer, in the background', async () => {
    const timed = registerStoreGauges(createMetrics({ build: readBuildInfo(projectRoot) }), {
      stores: runtime.stores,
      log: silentLog,
      refreshMs: 20,
    });
    let counted = 0;
    const count = runtime.stores.articles.count.bind(runtime.stores.articles);
    runtime.stores.articles.count = async () => {
      counted += 1;
      return count();
    };
    await new Promise((resolve) => setTimeout(resolve, 200));
    timed.stop();
    expect(counted).toBeGreaterThanOrEqual(2);
  });
});

describe('METRICS_TOKEN', () => {
  it('without the bearer token: 401; with it: the metrics', async () => {
    await serve('s3cret-token');
    const none = await fetch(`${base}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/newsdesk_/);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token!' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Basic czNjcmV0LXRva2Vu' } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer s3cret-token' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^newsdesk_build_info\{/m);
  });
});

describe('Accept negotiation', () => {
  it('picks OpenMetrics only when asked for with a non-zero weight', () => {
    expect(wantsOpenMetrics(PROMETHEUS_ACCEPT)).toBe(true);
    expect(wantsOpenMetrics('text/plain;version=0.0.4')).toBe(false);
    expect(wantsOpenMetrics('application/openmetrics-text;q=0, text/plain')).toBe(false);
    expect(wantsOpenMetrics(undefined)).toBe(false);
  });
});
