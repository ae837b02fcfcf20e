import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedStore } from '../../src/store/feed-ports.js';
import { feedIdFor } from '../../src/store/feed-store.js';

/**
 * Two URLs whose 6-character ids collide (both "3r6mio"), found once by hashing
 * https://collide.example/feed/0, 1, 2, … until two ids met. Written down rather than searched
 * for in every run: the search is 35,000 hashes. The test checks that they still collide.
 */
const COLLIDING: [string, string] = ['https://collide.example/feed/18865', 'https://collide.example/feed/34832'];

/** The behaviour every FeedStore must have. Run it once per implementation. */
export function feedStoreContract(
  name: string,
  open: () => Promise<{ feeds: FeedStore; cleanup: () => Promise<void> }>,
) {
  describe(`feed store contract: ${name}`, () => {
    let feeds: FeedStore;
    let cleanup: () => Promise<void>;
    const t0 = '2025-01-01T00:00:00.000Z';
    beforeEach(async () => {
      ({ feeds, cleanup } = await open());
    });
    afterEach(async () => cleanup());

    it('adds a feed once, with a short stable id, and finds it by id or URL', async () => {
      const url = 'https://news.example/rss';
      const first = await feeds.add(url, { addedBy: 'discord:u1', now: t0 });
      expect(first).toEqual({
        created: true,
        linked: true,
        feed: { id: feedIdFor(url), url, addedBy: 'discord:u1', addedAt: t0, failures: 0, disabled: false, polls: 0 },
      });
      const again = await feeds.add(url, { now: '2025-02-01T00:00:00.000Z' });
      expect(again).toEqual({ created: false, linked: false, feed: first.feed });
      expect(await feeds.get(first.feed.id)).toEqual(first.feed);
      expect(await feeds.get(url)).toEqual(first.feed);
      expect(await feeds.get('nothing')).toBeUndefined();
    });

    it('lists by time added, then URL', async () => {
      await feeds.add('https://b.example/feed', { now: t0 });
      await feeds.add('https://a.example/feed', { now: t0 });
      await feeds.add('https://0.example/feed', { now: '2025-01-02T00:00:00.000Z' });
      expect((await feeds.list()).map((feed) => feed.url)).toEqual([
        'https://a.example/feed',
        'https://b.example/feed',
        'https://0.example/feed',
      ]);
    });

    it('patches status fields, and undefined clears one', async () => {
      const url = 'https://news.example/atom';
      await feeds.add(url, { now: t0 });
      await feeds.update(url, {
        title: 'News',
        etag: '"v1"',
        lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
        failures: 2,
        firstFailureAt: t0,
        lastError: 'HTTP 503',
        polls: 4,
        lastPolledAt: t0,
        nextPollAt: t0,
      });
      expect(await feeds.get(url)).toMatchObject({
        title: 'News',
        etag: '"v1"',
        failures: 2,
        lastError: 'HTTP 503',
        polls: 4,
        nextPollAt: t0,
      });
      await feeds.update(url, { lastError: undefined, firstFailureAt: undefined, failures: 0, disabled: true });
      const feed = await feeds.get(url);
      expect(feed).toMatchObject({ failures: 0, disabled: true, title: 'News' });
      expect(feed).not.toHaveProperty('lastError');
      expect(feed).not.toHaveProperty('firstFailureAt');
      await feeds.update(url, {});
      expect(await feeds.get(url)).toEqual(feed);
    });

    it('re-adding a disabled feed enables it again and clears its failures, keeping the id', async () => {
      const url = 'https://broken.example/feed';
      const { feed } = await feeds.add(url, { now: t0 });
      await feeds.update(url, {
        disabled: true,
        failures: 40,
        firstFailureAt: t0,
        lastError: 'DNS',
        nextPollAt: '2030-01-01T00:00:00.000Z',
        polls: 3,
      });
      const again = await feeds.add(url, { now: '2025-03-01T00:00:00.000Z' });
      expect(again.created).toBe(false);
      expect(again.feed).toEqual({ ...feed, polls: 3 });
    });

    it('returns due feeds: unscheduled first, then soonest; never disabled or future ones', async () => {
      for (const host of ['later', 'soon', 'never', 'new', 'future'])
        await feeds.add(`https://${host}.example/`, { now: t0 });
      await feeds.update('https://later.example/', { nextPollAt: '2025-01-01T00:10:00.000Z' });
      await feeds.update('https://soon.example/', { nextPollAt: '2025-01-01T00:05:00.000Z' });
      await feeds.update('https://never.example/', { disabled: true });
      await feeds.update('https://future.example/', { nextPollAt: '2025-01-01T01:00:00.000Z' });
      const due = await feeds.due('2025-01-01T00:30:00.000Z', 10);
      expect(due.map((feed) => feed.url)).toEqual([
        'https://new.example/',
        'https://soon.example/',
        'https://later.example/',
      ]);
      expect(await feeds.due('2025-01-01T00:30:00.000Z', 1)).toHaveLength(1);
    });

    it('links one feed row to several spaces; polls it while any links it; the last unlink drops it', async () => {
      const url = 'https://shared.example/rss';
      const a = await feeds.add(url, { addedBy: 'discord:ua', now: t0, space: 'discord:guild:A' });
      const b = await feeds.add(url, { addedBy: 'slack:ub', now: '2025-01-02T00:00:00.000Z', space: 'slack:team:B' });
      expect([a.created, a.linked, b.created, b.linked]).toEqual([true, true, false, true]);
      expect(b.feed.id).toBe(a.feed.id);
      expect((await feeds.add(url, { now: t0, space: 'slack:team:B' })).linked).toBe(false);
      expect(await feeds.list()).toHaveLength(1);
      expect((await feeds.links(a.feed.id)).map((link) => [link.space, link.addedBy, link.fulltext])).toEqual([
        ['discord:guild:A', 'discord:ua', 'auto'],
        ['slack:team:B', 'slack:ub', 'auto'],
      ]);
      await feeds.add('https://own.example/rss', { now: t0, space: 'discord:guild:A' });
      expect(await feeds.countLinks('discord:guild:A')).toBe(2);
      expect((await feeds.list('slack:team:B')).map((feed) => feed.url)).toEqual([url]);
      expect(await feeds.unlink(url, 'discord:guild:Z')).toBe(false);
      expect(await feeds.unlink(url, 'discord:guild:A')).toBe(true);
      expect(await feeds.get(url)).toBeDefined();
      expect((await feeds.due(t0, 10)).map((feed) => feed.url).sort()).toEqual(['https://own.example/rss', url]);
      expect(await feeds.unlink(a.feed.id, 'slack:team:B')).toBe(true);
      expect(await feeds.get(url)).toBeUndefined();
      expect((await feeds.due(t0, 10)).map((feed) => feed.url)).toEqual(['https://own.example/rss']);
      // A link without its space defaults to the operator's.
      await feeds.add(url, { now: t0 });
      expect((await feeds.links(url)).map((link) => link.space)).toEqual(['operator']);
    });

    it('removes by id or URL', async () => {
      const { feed } = await feeds.add('https://x.example/', { now: t0 });
      await feeds.add('https://y.example/', { now: t0 });
      expect(await feeds.remove(feed.id)).toBe(true);
      expect(await feeds.remove('https://y.example/')).toBe(true);
      expect(await feeds.remove('https://y.example/')).toBe(false);
      expect(await feeds.list()).toEqual([]);
    });

    it('gives a longer id when the short one is taken by another URL', async () => {
      const [first, second] = COLLIDING;
      expect(feedIdFor(first)).toBe(feedIdFor(second));
      const a = await feeds.add(first, { now: t0 });
      const b = await feeds.add(second, { now: t0 });
      expect(a.feed.id).toBe(feedIdFor(first));
      expect(b.feed.id).toBe(feedIdFor(second, 7));
      expect((await feeds.get(b.feed.id))?.url).toBe(second);
    });

    it('remembers item keys: the first known key wins, and a key keeps the article it first named', async () => {
      expect(await feeds.findArticleKey([])).toBeUndefined();
      await feeds.rememberKeys(['guid:1', 'link:https://n.example/1'], 'article-A', t0);
      await feeds.rememberKeys(['link:https://n.example/1', 'guid:2'], 'article-B', '2025-01-02T00:00:00.000Z');
      await feeds.rememberKeys([], 'article-C', t0);
      expect(await feeds.findArticleKey(['link:https://n.example/1'])).toBe('article-A');
      expect(await feeds.findArticleKey(['unknown', 'guid:2', 'guid:1'])).toBe('article-B');
      expect(await feeds.findArticleKey(['guid:1', 'guid:2'])).toBe('article-A');
      expect(await feeds.findArticleKey(['unknown'])).toBeUndefined();
    });
  });
}
