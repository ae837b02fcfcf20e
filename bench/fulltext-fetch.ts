/**
 * Full-text fetching benchmark: one teaser feed whose article pages sit on several loopback hosts
 * (one port each), one of them slow, through the real poller, fetcher, page gate, extraction workers
 * and a SQLite store. The same run takes it with a feed's items one after another (the old way,
 * `itemConcurrency: 1`) and in lanes (the default), at 0, 100 and 250 ms page latency (±50 %).
 * Prints one JSON line per case, then one line of ratios (sequential / lanes, same latency) for the
 * whole poll and for the quick hosts' pages.
 *
 *   npm run bench:fulltext            (HOSTS=4 ITEMS=6 SLOW_MS=2000 are the defaults)
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { enrichDraft } from '../src/ingest/enrich.js';
import { createFeedFetcher } from '../src/ingest/feeds/fetch-feed.js';
import { createFeedPoller } from '../src/ingest/feeds/poller.js';
import { createExtractPool } from '../src/ingest/fulltext/extract-pool.js';
import { createFeedItemFullText } from '../src/ingest/fulltext/feed-item-full-text.js';
import { createFullTextFetcher } from '../src/ingest/fulltext/full-text-fetcher.js';
import { openSqliteStores } from '../src/store/sqlite-open.js';
import { answerDelay, type Latency } from '../tests/fakes/latency.js';
import { articlePage } from '../tests/fulltext/pages.js';

const HOSTS = Number(process.env.HOSTS ?? 4);
const ITEMS = Number(process.env.ITEMS ?? 6);
const SLOW_MS = Number(process.env.SLOW_MS ?? 2000);
const log = pino({ level: 'silent' });

interface Host {
  origin: string;
  most: number;
  /** performance.now() of its last page answered. */
  lastAnswer: number;
  close(): Promise<void>;
}

async function startHost(latency: Latency, feedXml?: () => string): Promise<Host> {
  let active = 0;
  const host: Host = { origin: '', most: 0, lastAnswer: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (req.url === '/feed.xml' && feedXml) {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml());
      return;
    }
    active++;
    host.most = Math.max(host.most, active);
    void answerDelay(latency).then(() => {
      active--;
      host.lastAnswer = performance.now();
      res.writeHead(200, { 'content-type': 'text/html' }).end(articlePage({ title: `Page ${req.url}` }));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  host.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return host;
}

async function runCase(latencyMs: number, itemConcurrency: number) {
  const pages = [await startHost({ ms: SLOW_MS, jitter: 0.1 })];
  for (let i = 1; i < HOSTS; i++) pages.push(await startHost({ ms: latencyMs }));
  const items: string[] = [];
  for (let n = 0; n < ITEMS; n++) {
    for (const [h, page] of pages.entries()) {
      items.push(`<item><title>Story ${h}-${n}</title><link>${page.origin}/s/${n}</link><guid>${h}-${n}</guid>
<description>A short teaser for story ${h}-${n}.</description></item>`);
    }
  }
  const feedHost = await startHost(
    { ms: 0 },
    () => `<?xml version="1.0"?><rss version="2.0"><channel>
<title>Bench</title>${items.join('')}</channel></rss>`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-bench-'));
  const stores = openSqliteStores(path.join(dir, 'bench.db'));
  const pool = createExtractPool();
  const fetcher = createFeedFetcher({ allowPrivate: true });
  const fullText = createFeedItemFullText({
    fullText: createFullTextFetcher({ fetcher, extractor: pool, log }),
    getByKey: (key) => stores.articles.getByKey(key),
    store: async (draft, contentHash, announce) =>
      (await stores.articles.upsert({ ...enrichDraft(draft), contentHash, announce })).status,
    waitMs: Number.POSITIVE_INFINITY,
    log,
  });
  const poller = createFeedPoller({
    feedStore: stores.feeds,
    ingest: fullText.ingest,
    log,
    allowPrivate: true,
    fetcher,
    itemConcurrency,
  });
  const started = performance.now();
  const result = await poller.pollOnce(`${feedHost.origin}/feed.xml`);
  const pollMs = performance.now() - started;
  const counts = fullText.counts();
  const line = {
    bench: 'fulltext-fetch',
    mode: itemConcurrency === 1 ? 'sequential' : `lanes-${itemConcurrency}`,
    latencyMs,
    slowHostMs: SLOW_MS,
    hosts: HOSTS,
    items: HOSTS * ITEMS,
    stored: result.new,
    fetched: counts.fetched,
    failed: counts.failed,
    wallMs: Math.round(pollMs),
    /** When the last page of the quick hosts was answered: what a slow host must not hold up. */
    quickHostsDoneMs: Math.round(Math.max(...pages.slice(1).map((page) => page.lastAnswer)) - started),
    pagesPerSecond: Number(((counts.fetched / pollMs) * 1000).toFixed(2)),
    mostAtOncePerHost: Math.max(...pages.map((page) => page.most)),
    loadavg: loadavg().map((value) => Number(value.toFixed(2))),
  };
  await poller.stop();
  await pool.close();
  await stores.close();
  for (const host of [...pages, feedHost]) await host.close();
  rmSync(dir, { recursive: true, force: true });
  return line;
}

const ratios: Record<string, number> = {};
for (const latencyMs of [0, 100, 250]) {
  const sequential = await runCase(latencyMs, 1);
  console.log(JSON.stringify(sequential));
  const lanes = await runCase(latencyMs, 8);
  console.log(JSON.stringify(lanes));
  ratios[`wall_${latencyMs}ms`] = Number((sequential.wallMs / lanes.wallMs).toFixed(2));
  ratios[`quick_${latencyMs}ms`] = Number((sequential.quickHostsDoneMs / lanes.quickHostsDoneMs).toFixed(2));
}
console.log(
  JSON.stringify({ bench: 'fulltext-fetch', ratio: 'sequential / lanes, same latency', ...ratios, loadavg: loadavg() }),
);
