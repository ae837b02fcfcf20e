import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFeed, type FeedItem, type ParsedFeed } from '../../../src/ingest/feeds/parse-feed.js';
import { createTally, dateMatches, show, textMatches, urlMatches, type SuiteResult } from './harness.js';

type Json = Record<string, unknown>;
type Check = (ours: ParsedFeed | FeedItem, want: unknown) => [ok: boolean, got: unknown];

const text =
  (get: (o: never) => string | undefined): Check =>
  (ours, want) => {
    const got = get(ours as never);
    return [textMatches(got, want), got];
  };
const url =
  (get: (o: never) => string | undefined): Check =>
  (ours, want) => {
    const got = get(ours as never);
    return [urlMatches(got, want), got];
  };
const date =
  (get: (o: never) => string | undefined): Check =>
  (ours, want) => {
    const got = get(ours as never);
    return [dateMatches(got, want as string), got];
  };

/** gofeed's universal model → ours. Other keys (copyright, generator, feedLink, extensions…) do not map. */
const FEED: Record<string, Check> = {
  title: text((f: ParsedFeed) => f.title),
  description: text((f: ParsedFeed) => f.description),
  link: url((f: ParsedFeed) => f.link),
  language: text((f: ParsedFeed) => f.language),
  updatedParsed: date((f: ParsedFeed) => f.updated),
  image: (f, want) => {
    const got = (f as ParsedFeed).image;
    return [textMatches(got, (want as Json).url), got];
  },
};
const ITEM: Record<string, Check> = {
  title: text((i: FeedItem) => i.title),
  link: url((i: FeedItem) => i.link),
  description: text((i: FeedItem) => i.summary),
  content: text((i: FeedItem) => i.contentHtml),
  guid: text((i: FeedItem) => i.guid),
  publishedParsed: date((i: FeedItem) => i.published),
  updatedParsed: date((i: FeedItem) => i.updated),
  author: (i, want) => {
    const got = (i as FeedItem).author;
    const name = (want as Json).name;
    return name === undefined ? [true, got] : [textMatches(got, name), got];
  },
  categories: (i, want) => {
    const got = (i as FeedItem).categories;
    return [JSON.stringify(got) === JSON.stringify(want), got];
  },
  enclosures: (i, want) => {
    const got = (i as FeedItem).enclosures.map((e) => e.url);
    return [JSON.stringify(got) === JSON.stringify((want as Json[]).map((e) => e.url)), got];
  },
  image: (i, want) => {
    const got = (i as FeedItem).image;
    return [textMatches(got, (want as Json).url), got];
  },
};

function cases(dir: string): { name: string; input: string; expected: string }[] {
  const out: { name: string; input: string; expected: string }[] = [];
  for (const format of ['atom', 'rss', 'json']) {
    const folder = path.join(dir, format);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).sort()) {
      if (format === 'json' ? file.endsWith('_expected.json') : !file.endsWith('.xml')) continue;
      const expected = format === 'json' ? file.replace(/\.json$/, '_expected.json') : file.replace(/\.xml$/, '.json');
      if (existsSync(path.join(folder, expected)))
        out.push({ name: `${format}/${file}`, input: path.join(folder, file), expected: path.join(folder, expected) });
    }
  }
  return out;
}

export function runGofeed(corpus: string): SuiteResult {
  const tally = createTally('gofeed translator');
  for (const c of cases(path.join(corpus, 'gofeed-go/testdata/translator'))) {
    const want = JSON.parse(readFileSync(c.expected, 'utf8')) as Json;
    let feed: ParsedFeed;
    try {
      feed = parseFeed(readFileSync(c.input), {});
    } catch (err) {
      tally.check(c.name, false, () => `rejected: ${(err as Error).message}`);
      continue;
    }
    const compare = (
      checks: Record<string, Check>,
      ours: ParsedFeed | FeedItem,
      expected: Json,
      where: string,
    ): void => {
      for (const [key, value] of Object.entries(expected)) {
        const check = checks[key];
        if (!check) {
          if (key !== 'items') tally.skip();
          continue;
        }
        const [ok, got] = check(ours, value);
        tally.check(`${c.name} ${where}${key}`, ok, () => `got ${show(got)}, want ${show(value)}`);
      }
    };
    compare(FEED, feed, want, '');
    const items = (want.items as Json[] | undefined) ?? [];
    tally.check(
      `${c.name} items.length`,
      feed.items.length === items.length,
      () => `got ${feed.items.length}, want ${items.length}`,
    );
    items.forEach((item, index) => {
      const ours = feed.items[index];
      if (ours) compare(ITEM, ours, item, `items[${index}].`);
    });
  }
  return tally.result;
}
