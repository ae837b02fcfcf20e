import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArticleDraft } from '../../src/domain/article.js';
import { parseFeed } from '../../src/ingest/feeds/parse-feed.js';
import { itemToDraft } from '../../src/ingest/feeds/item-to-draft.js';
import { basisLine } from '../../src/domain/basis.js';
import { createTeaserHistory, looksLikeTeaser, shouldFetchFullText } from '../../src/ingest/fulltext/teaser.js';

const realWorld = path.resolve(
  import.meta.dirname,
  '../../../shared/corpus/feeds/rowanmanning-sample-feeds/content/real-world',
);

function feedDrafts(title: string): ArticleDraft[] {
  for (const dir of readdirSync(realWorld)) {
    const index = path.join(realWorld, dir, 'index.md');
    if (!existsSync(index) || !readFileSync(index, 'utf8').includes(`title: "${title}"`)) continue;
    const file = readdirSync(path.join(realWorld, dir)).find((name) => name.startsWith('feed'))!;
    const feed = parseFeed(readFileSync(path.join(realWorld, dir, file)), { url: 'https://feeds.example/feed' });
    return feed.items.map((item) => itemToDraft(item, feed, 'https://feeds.example/feed'));
  }
  throw new Error(`no capture titled ${title}`);
}

describe.skipIf(!existsSync(realWorld))('teaser detection on real feed captures', () => {
  if (!existsSync(realWorld)) console.warn(`skipped: ${realWorld} is absent`);
  for (const title of ['BBC News - World', 'NYT Top Stories', 'Sky News', 'The Financial Times - UK homepage']) {
    it(`every item of ${title} is a teaser`, () => {
      const drafts = feedDrafts(title);
      expect(drafts.length).toBeGreaterThan(5);
      expect(drafts.filter((draft) => !looksLikeTeaser(draft))).toEqual([]);
    });
  }
  for (const title of ['WordPress News', 'MacRumors: All Stories', 'Engadget', 'The Verge - Front Pages']) {
    it(`no item of the full-text feed ${title} is a teaser`, () => {
      expect(
        feedDrafts(title)
          .filter(looksLikeTeaser)
          .map((draft) => draft.title),
      ).toEqual([]);
    });
  }
  it('The Guardian cuts its items with "Continue reading": most are teasers despite their length', () => {
    const drafts = feedDrafts('The Guardian');
    expect(drafts.filter(looksLikeTeaser).length / drafts.length).toBeGreaterThan(0.8);
  });
});

describe('full-text policy and history', () => {
  const long: ArticleDraft = {
    key: 'k',
    title: 't',
    body: [{ type: 'paragraph', text: 'word '.repeat(200) }],
    images: [],
    url: 'https://x.example/a',
    origin: { kind: 'feed', feedUrl: 'https://x.example/feed' },
    publishers: [],
    links: [],
    tags: [],
  };
  const short = { ...long, body: [{ type: 'paragraph' as const, text: 'A short teaser.' }] };

  it('auto fetches teasers only; always fetches everything with a link; never fetches nothing', () => {
    expect(shouldFetchFullText(short, 'auto')).toBe(true);
    expect(shouldFetchFullText(long, 'auto')).toBe(false);
    expect(shouldFetchFullText(long, 'always')).toBe(true);
    expect(shouldFetchFullText(short, 'never')).toBe(false);
    expect(shouldFetchFullText({ ...short, url: 'javascript:alert(1)' }, 'always')).toBe(false);
  });

  it('a feed with a history of teasers gets its long items fetched too', () => {
    const history = createTeaserHistory({ window: 5 });
    for (let i = 0; i < 4; i++) history.record('https://x.example/feed', true);
    history.record('https://x.example/feed', false);
    expect(shouldFetchFullText(long, 'auto', history)).toBe(true);
    for (let i = 0; i < 5; i++) history.record('https://x.example/feed', false);
    expect(shouldFetchFullText(long, 'auto', history)).toBe(false);
  });
});

describe('basis line', () => {
  it('says in one short line what an answer is based on', () => {
    expect(basisLine({ kind: 'full' })).toBe('From the full article');
    expect(basisLine({ kind: 'feed' })).toBe('From the full text in the feed');
    expect(basisLine(undefined)).toBe('From the full text in the feed');
    expect(basisLine({ kind: 'feed' }, { kind: 'file' })).toBe('From the article file');
    expect(basisLine(undefined, { kind: 'file' })).toBe('From the article file');
    expect(basisLine({ kind: 'feed' }, { kind: 'feed' })).toBe('From the full text in the feed');
    expect(basisLine({ kind: 'teaser', reason: 'the page could not be read (403)' })).toBe(
      "From the feed's teaser: the page could not be read (403)",
    );
    expect(basisLine({ kind: 'paywalled' })).toBe("From the feed's teaser: the article is behind a paywall");
  });
});
