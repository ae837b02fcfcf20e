import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BuildInfo } from './build-info.js';
import { OPENMETRICS_CONTENT_TYPE, toOpenMetrics, wantsOpenMetrics } from './openmetrics.js';
import type { HttpServer } from './server.js';

export interface Metrics {
  registry: Registry;
  articlesIngested: Counter<'status' | 'origin'>;
  deliveries: Counter<'platform' | 'outcome'>;
  rateLimited: Counter<'platform'>;
  rateLimitWaitSeconds: Histogram<'platform'>;
  deliveryLatencySeconds: Histogram<'platform'>;
  commandSeconds: Histogram<'command' | 'outcome'>;
  feedFetches: Counter<'result'>;
  fullTextFetches: Counter<'outcome' | 'reason'>;
  fullTextExtractSeconds: Histogram;
  fullTextRetriesPending: Gauge;
}

/**
 * Article-to-post latency buckets: a post goes out on the channel's schedule (every 10 minutes by
 * default), after rate limits and retries, so the interesting range is seconds to hours.
 */
const LATENCY_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600];

/**
 * One registry per process (no global default), so tests can build as many as they like.
 * Process and Node.js metrics keep their standard unprefixed names (process_*, nodejs_*), which is
 * what stock Node.js dashboards query; ours all start with newsdesk_.
 */
export function createMetrics(deps: { build: BuildInfo }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client also writes these three as gauges named *_total, which OpenMetrics keeps for counters;
  // the same figures stay available by type as nodejs_active_handles, _requests and _resources.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const registers = [registry];
  new Gauge({
    name: 'newsdesk_build_info',
    help: 'Always 1; the labels say which build is running',
    labelNames: ['version', 'commit', 'node'],
    registers,
  }).set({ version: deps.build.version, commit: deps.build.commit, node: deps.build.node }, 1);
  return {
    registry,
    articlesIngested: new Counter({
      name: 'newsdesk_articles_ingested_total',
      help: 'Articles stored, by status (new, updated) and origin',
      labelNames: ['status', 'origin'],
      registers,
    }),
    deliveries: new Counter({
      name: 'newsdesk_deliveries_total',
      help: 'Delivery attempts by platform and outcome (sent, retried, failed)',
      labelNames: ['platform', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'newsdesk_rate_limited_total',
      help: '429 answers from a platform',
      labelNames: ['platform'],
      registers,
    }),
    rateLimitWaitSeconds: new Histogram({
      name: 'newsdesk_rate_limit_wait_seconds',
      help: 'Time spent waiting for our own rate limiter before a post',
      labelNames: ['platform'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    deliveryLatencySeconds: new Histogram({
      name: 'newsdesk_delivery_latency_seconds',
      help: 'From an article entering the delivery ledger to its post being sent, by platform',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    commandSeconds: new Histogram({
      name: 'newsdesk_command_duration_seconds',
      help: '/news command latency',
      labelNames: ['command', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 3],
      registers,
    }),
    feedFetches: new Counter({
      name: 'newsdesk_feed_fetches_total',
      help: 'Feed polls by result (ok, not_modified, error, refused, disabled)',
      labelNames: ['result'],
      registers,
    }),
    fullTextFetches: new Counter({
      name: 'newsdesk_fulltext_fetches_total',
      help: 'Article pages tried for teaser items, by outcome (full, teaser, paywalled) and, for a teaser, why',
      labelNames: ['outcome', 'reason'],
      registers,
    }),
    fullTextExtractSeconds: new Histogram({
      name: 'newsdesk_fulltext_extract_duration_seconds',
      help: 'Time to extract the article from a fetched page (in a worker, with its time budget)',
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    fullTextRetriesPending: new Gauge({
      name: 'newsdesk_fulltext_retries_pending',
      help: 'Teaser pages waiting to be fetched again after a failure that may pass',
      registers,
    }),
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  // timingSafeEqual needs equal lengths; comparing lengths first leaks only the length.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /metrics`: Prometheus text by default, OpenMetrics when the scraper asks for it (Prometheus
 * does, in its Accept header). With a token set, only `Authorization: Bearer <token>` gets in.
 */
export function registerMetricsRoute(http: HttpServer, metrics: Metrics, options: { token?: string } = {}): void {
  const { token } = options;
  http.route('GET', '/metrics', async (req, res) => {
    if (token && !tokenMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' });
      res.end('unauthorized\n');
      return;
    }
    const text = await metrics.registry.metrics();
    if (wantsOpenMetrics(req.headers.accept)) {
      res.writeHead(200, { 'content-type': OPENMETRICS_CONTENT_TYPE }).end(toOpenMetrics(text));
      return;
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
  });
}
