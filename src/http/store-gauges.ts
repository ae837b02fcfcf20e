import { Gauge } from 'prom-client';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import type { Metrics } from './metrics.js';

export interface StoreGauges {
  /** Count again now (also what the timer does); resolves when the gauges hold the new figures. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Ledger rows by state and articles stored. Counting is a table scan, so it runs on a timer in the
 * background, at most once per `refreshMs` however many scrapers there are; a scrape reads the cache.
 */
export function registerStoreGauges(
  metrics: Metrics,
  deps: { stores: Stores; log: Logger; refreshMs: number },
): StoreGauges {
  const registers = [metrics.registry];
  const rows = new Gauge({
    name: 'newsdesk_delivery_rows',
    help: 'Delivery ledger rows by state',
    labelNames: ['state'],
    registers,
  });
  const articles = new Gauge({ name: 'newsdesk_articles_stored', help: 'Articles in the store', registers });
  const refreshed = new Gauge({
    name: 'newsdesk_store_gauges_refreshed_timestamp_seconds',
    help: 'When the ledger and article counts were last taken (Unix time)',
    registers,
  });
  let running: Promise<void> | undefined;

  function refresh(): Promise<void> {
    running ??= (async () => {
      try {
        const [byState, stored] = await Promise.all([
          deps.stores.deliveries.countByState(),
          deps.stores.articles.count(),
        ]);
        for (const [state, count] of Object.entries(byState)) rows.set({ state }, count);
        articles.set(stored);
        refreshed.set(Date.now() / 1000);
      } catch (err) {
        deps.log.warn({ err }, 'store metrics refresh failed; keeping the last figures');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const timer = setInterval(() => void refresh(), deps.refreshMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
