import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFeed, type ParsedFeed } from '../../../src/ingest/feeds/parse-feed.js';
import { createTally, dateMatches, show, textMatches, urlMatches, type SuiteResult } from './harness.js';

interface Snapshot {
  url: string;
  feed: {
    title: string | null;
    url: string | null;
    items: { title: string | null; url: string | null; published: string | null }[];
  };
}

/** rowanmanning/feed-parser's snapshots: feed title and url, item count, each item's title, url and date. */
export function runRowanmanning(corpus: string): SuiteResult {
  const tally = createTally('rowanmanning snapshots');
  const root = path.join(corpus, 'rowanmanning-sample-feeds');
  for (const kind of ['examples', 'real-world']) {
    const snapshots = path.join(root, 'expected-feed-parser-snapshots', kind);
    if (!existsSync(snapshots)) continue;
    for (const file of readdirSync(snapshots).sort()) {
      const hash = file.replace(/\.json$/, '');
      const input = path.join(root, 'content', kind, hash, 'feed.xml');
      if (!existsSync(input)) continue;
      const want = JSON.parse(readFileSync(path.join(snapshots, file), 'utf8')) as Snapshot;
      const name = `${kind}/${hash}`;
      let feed: ParsedFeed;
      try {
        feed = parseFeed(readFileSync(input), { url: want.url });
      } catch (err) {
        tally.check(name, false, () => `rejected: ${(err as Error).message}`);
        continue;
      }
      tally.check(
        `${name} title`,
        textMatches(feed.title, want.feed.title),
        () => `got ${show(feed.title)}, want ${show(want.feed.title)}`,
      );
      tally.check(
        `${name} url`,
        urlMatches(feed.link, want.feed.url),
        () => `got ${show(feed.link)}, want ${show(want.feed.url)}`,
      );
      tally.check(
        `${name} items`,
        feed.items.length === want.feed.items.length,
        () => `got ${feed.items.length}, want ${want.feed.items.length}`,
      );
      want.feed.items.forEach((expected, index) => {
        const ours = feed.items[index];
        const where = `${name} items[${index}]`;
        tally.check(
          `${where}.title`,
          textMatches(ours?.title, expected.title),
          () => `got ${show(ours?.title)}, want ${show(expected.title)}`,
        );
        tally.check(
          `${where}.url`,
          urlMatches(ours?.link, expected.url),
          () => `got ${show(ours?.link)}, want ${show(expected.url)}`,
        );
        tally.check(
          `${where}.published`,
          dateMatches(ours?.published, expected.published),
          () => `got ${show(ours?.published)}, want ${show(expected.published)}`,
        );
      });
    }
  }
  return tally.result;
}
