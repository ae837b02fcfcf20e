import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { readBuildInfo } from '../../src/http/build-info.js';
import { createMetrics } from '../../src/http/metrics.js';
import { draftTextChars, MAIN_THREAD_MAX_CHARS } from '../../src/ingest/draft-enricher.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { createParsePool, type ParsePool, type ParsePoolOptions } from '../../src/ingest/parse-pool.js';
import type { Logger } from '../../src/logger.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import type { UpsertResult } from '../../src/store/ports.js';
import { createIngest } from '../../src/wiring/ingest.js';
import { createSignal } from '../../src/wiring/signal.js';
import { type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { capturingLogger } from '../support/logger.js';
import { projectRoot, tempDir } from '../support/paths.js';

/** Prose with names the sources extractor credits, so a wrong worker answer would show. */
const paragraph = (index: number) =>
  `<p>The council approved plan ${index} for the river bridge, Mayor Ana Lopez said on Monday. ` +
  `"We will open it in spring," Lopez told Reuters. Officials said traffic would move at once.</p>`;
const HUGE_TITLE = 'Council publishes the full bridge inquiry';
const huge = Array.from({ length: 500 }, (_, index) => paragraph(index)).join('');

/** Four items, newest first; the second one carries about 90 K characters of text. */
const feed = rssFeed({
  count: 4,
  item: (index) =>
    index === 1
      ? { title: HUGE_TITLE, description: huge }
      : { title: `Short story ${index}`, description: paragraph(index) + paragraph(index + 100) },
});

describe('a large feed item is summarised off the main thread', () => {
  let dir: string;
  let cleanup: () => void;
  let stores: SqliteStores;
  let server: FeedServer;
  /** Titles of the drafts each pool the ingest started was given, with the options it got. */
  let pools: { options: ParsePoolOptions; titles: string[] }[];
  const watchedPool =
    (override: Partial<ParsePoolOptions> = {}) =>
    (options: ParsePoolOptions): ParsePool => {
      const real = createParsePool({ ...options, ...override });
      const seen = { options, titles: [] as string[] };
      pools.push(seen);
      return {
        parse: (job) => {
          seen.titles.push('draft' in job ? job.draft.title : job.path);
          return real.parse(job);
        },
        close: () => real.close(),
      };
    };

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('newsdesk-large-item-'));
    stores = openSqliteStores(join(dir, 'n.db'));
    server = await startFeedServer();
    pools = [];
  });
  afterEach(async () => {
    await server.close();
    await stores.close();
    cleanup();
  });

  const ingestWith = (log: Logger, createPool: (options: ParsePoolOptions) => ParsePool) => {
    const stored = createSignal<UpsertResult>();
    const order: string[] = [];
    stored.listen(async (result) => void order.push(result.article.title));
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'n.db')}`,
      ARTICLES_DIR: dir,
      FEED_ALLOW_PRIVATE: 'true',
      // The items carry their whole text; no page is fetched.
      FULLTEXT_DEFAULT: 'never',
    });
    const metrics = createMetrics({ build: readBuildInfo(projectRoot) });
    const ingest = createIngest({ config, log, stores, metrics, stored, mode: 'once', createPool });
    return { ingest, order };
  };

  /** A first poll that knows the feed by one old item, then the poll with the new ones (announced). */
  const pollTwice = async (ingest: ReturnType<typeof createIngest>) => {
    server.serve(
      '/feed.xml',
      rssFeed({
        count: 1,
        item: () => ({ guid: 'urn:item:3', link: 'https://news.example/items/3', title: 'Short story 3' }),
      }),
    );
    await ingest.poller.ensureFeeds([server.url('/feed.xml')]);
    await ingest.poller.pollOnce(server.url('/feed.xml'));
    server.serve('/feed.xml', feed);
    const result = await ingest.poller.pollOnce(server.url('/feed.xml'));
    await ingest.poller.stop();
    await ingest.feedParser.close();
    await ingest.stopFullText();
    return result;
  };

  it('stores every item with the summary and sources enrichDraft gives, in feed order; only the large one goes to the worker', async () => {
    const { ingest, order } = ingestWith(capturingLogger().log, watchedPool());

    expect(await pollTwice(ingest)).toMatchObject({ status: 'ok', new: 3, updated: 1, rejected: 0 });
    expect(pools).toEqual([{ options: { size: 1, budgetMs: 5_000 }, titles: [HUGE_TITLE] }]);
    // Announced (stored) in the feed's order although the worker answered after the items behind it were ready.
    expect(order).toEqual(['Short story 0', HUGE_TITLE, 'Short story 2', 'Short story 3']);
    const articles = await stores.articles.latest(10);
    expect(articles).toHaveLength(4);
    for (const article of articles) {
      const feedTitle = article.origin.kind === 'feed' ? article.origin.feedTitle : undefined;
      const here = enrichDraft(article, { title: feedTitle, link: article.url });
      expect({ title: article.title, summary: article.summary, sources: article.sources }).toEqual({
        title: article.title,
        summary: here.summary,
        sources: here.sources,
      });
    }
    const large = articles.find((article) => article.title === HUGE_TITLE)!;
    expect(draftTextChars(large)).toBeGreaterThan(MAIN_THREAD_MAX_CHARS);
    expect(large.summary.sentences.length).toBeGreaterThan(0);
    expect(large.sources.map((source) => source.name)).toContain('Reuters');
  });

  it('an item over its worker budget is stored with its text but no summary, logged, and the feed carries on', async () => {
    const { log, lines } = capturingLogger<{ msg: string; reason?: string; key?: string }>();
    // A budget no summary of 90 K characters fits: the worker is given up on this item.
    const { ingest, order } = ingestWith(log, watchedPool({ budgetMs: 1 }));

    expect(await pollTwice(ingest)).toMatchObject({ status: 'ok', new: 3, updated: 1, rejected: 0 });
    expect(order).toEqual(['Short story 0', HUGE_TITLE, 'Short story 2', 'Short story 3']);
    const articles = await stores.articles.latest(10);
    const large = articles.find((article) => article.title === HUGE_TITLE)!;
    expect(large.body.map((block) => block.text).join(' ')).toContain('plan 499 for the river bridge');
    expect(large.summary.sentences).toEqual([]);
    expect(large.sources).toEqual([]);
    const warning = lines.find((line) => line.msg.startsWith('feed item stored without summary'));
    expect(warning?.reason).toMatch(/took longer than 1 ms/);
    for (const article of articles.filter((a) => a !== large)) {
      expect(article.summary.sentences.length).toBeGreaterThan(0);
    }
  });
});
