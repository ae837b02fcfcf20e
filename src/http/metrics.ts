import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Stores } from '../store/ports.js';
import type { HttpServer } from './server.js';

export interface Metrics {
  registry: Registry;
  articlesIngested: Counter<'status' | 'origin'>;
  deliveries: Counter<'platform' | 'outcome'>;
  rateLimited: Counter<'platform'>;
  rateLimitWaitSeconds: Histogram<'platform'>;
  commandSeconds: Histogram<'command' | 'outcome'>;
  feedFetches: Counter<'result'>;
}

/** One registry per process (no global default), so tests can build as many as they like. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newsdesk_' });
  const metrics: Metrics = {
    registry,
    articlesIngested: new Counter({ name: 'newsdesk_articles_ingested_total', help: 'Articles stored, by status (new, updated) and origin', labelNames: ['status', 'origin'], registers: [registry] }),
    deliveries: new Counter({ name: 'newsdesk_deliveries_total', help: 'Delivery attempts by platform and outcome (sent, retried, failed)', labelNames: ['platform', 'outcome'], registers: [registry] }),
    rateLimited: new Counter({ name: 'newsdesk_rate_limited_total', help: '429 answers from a platform', labelNames: ['platform'], registers: [registry] }),
    rateLimitWaitSeconds: new Histogram({ name: 'newsdesk_rate_limit_wait_seconds', help: 'Time spent waiting for our own rate limiter before a post', labelNames: ['platform'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30], registers: [registry] }),
    commandSeconds: new Histogram({ name: 'newsdesk_command_duration_seconds', help: '/news command latency', labelNames: ['command', 'outcome'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 3], registers: [registry] }),
    feedFetches: new Counter({ name: 'newsdesk_feed_fetches_total', help: 'Feed polls by result (ok, not_modified, error, refused, disabled)', labelNames: ['result'], registers: [registry] }),
  };
  return metrics;
}

/** Gauges read from the store at scrape time: ledger rows by state, articles stored. */
export function registerStoreGauges(metrics: Metrics, stores: Stores): void {
  const registry = metrics.registry;
  new Gauge({
    name: 'newsdesk_deliveries',
    help: 'Ledger rows by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await stores.deliveries.countByState();
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'newsdesk_articles_stored',
    help: 'Articles in the store',
    registers: [registry],
    async collect() {
      this.set(await stores.articles.count());
    },
  });
}

export function registerMetricsRoute(http: HttpServer, metrics: Metrics): void {
  http.route('GET', '/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  });
}
