import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleDraft } from '../../src/domain/article.js';
import type { FullTextResult } from '../../src/ingest/fulltext/full-text-fetcher.js';
import { createRetryQueue } from '../../src/ingest/fulltext/full-text-retries.js';
import type { FullTextRetryStore } from '../../src/store/fulltext-retry-ports.js';
import { silentLog } from '../support/runtime.js';

const MINUTE = 60_000;

const draft = (slug: string): ArticleDraft => ({
  key: `feed:guid:${slug}`,
  title: `Story ${slug}`,
  body: [{ type: 'paragraph', text: `A teaser about ${slug}.` }],
  images: [],
  url: `https://news.example/${slug}`,
  origin: { kind: 'feed', feedUrl: 'https://news.example/feed.xml' },
  publishers: [],
  links: [],
  tags: [],
});

const failed = (item: ArticleDraft, reason: string, transient: boolean, hostBackoffUntil?: number): FullTextResult => ({
  draft: { ...item, basis: { kind: 'teaser', reason } },
  basis: { kind: 'teaser', reason },
  counts: { fetched: 0, failed: hostBackoffUntil === undefined ? 1 : 0, paywalled: 0 },
  transient,
  ...(hostBackoffUntil === undefined ? {} : { hostBackoffUntil }),
});

const full = (item: ArticleDraft): FullTextResult => ({
  draft: { ...item, basis: { kind: 'full' } },
  basis: { kind: 'full' },
  counts: { fetched: 1, failed: 0, paywalled: 0 },
});

/** The retry queue over one store implementation; `open` gives a fresh, empty store. */
export function retryQueueContract(
  name: string,
  open: () => Promise<{ store: FullTextRetryStore; cleanup: () => Promise<void> }>,
): void {
  describe(`full-text retry queue (${name})`, () => {
    let store: FullTextRetryStore;
    let cleanup: () => Promise<void>;
    let clock: number;
    const queue = (options: { maxPending?: number } = {}) =>
      createRetryQueue({ store, log: silentLog, now: () => clock, baseDelayMs: 2 * MINUTE, ...options });
    beforeEach(async () => {
      ({ store, cleanup } = await open());
      clock = Date.parse('2026-12-01T10:00:00Z');
    });
    afterEach(async () => cleanup());

    it('schedules a passing failure with doubling back-off, and forgets it when the page comes', async () => {
      const retries = queue();
      const item = draft('flaky');
      await retries.record(item, 'h1', failed(item, 'the page could not be read (503)', true), 0);
      const row = await store.get(item.key);
      expect(row).toMatchObject({ state: 'pending', attempts: 0, feedHash: 'h1', url: item.url });
      expect(Date.parse(row!.nextAt) - clock).toBe(2 * MINUTE);
      expect(JSON.parse(row!.draft)).toEqual(item);
      await retries.record(item, 'h1', failed(item, 'the page took too long to answer', true), 2);
      expect(Date.parse((await store.get(item.key))!.nextAt) - clock).toBe(8 * MINUTE);
      expect(await retries.pending()).toBe(1);
      await retries.record(item, 'h1', full(item), 3);
      expect(await store.get(item.key)).toBeUndefined();
    });

    it('does not retry a failure for good (404, 403), and gives up after five retries keeping the reason', async () => {
      const retries = queue();
      const gone = draft('gone');
      await retries.record(gone, 'h', failed(gone, 'the page could not be read (404)', false), 0);
      expect(await store.get(gone.key)).toBeUndefined();
      const busy = draft('busy');
      await retries.record(busy, 'h', failed(busy, 'the page could not be read (503)', true), 4);
      expect((await store.get(busy.key))?.state).toBe('pending');
      await retries.record(busy, 'h', failed(busy, 'the page could not be read (502)', true), 5);
      expect(await store.get(busy.key)).toMatchObject({
        state: 'gave_up',
        attempts: 5,
        reason: 'the page could not be read (502)',
      });
      expect(await retries.pending()).toBe(0);
      clock += 24 * 60 * MINUTE;
      expect(await retries.claim(10)).toEqual([]);
      // Given-up rows are kept a week, then pruned.
      clock += 7 * 24 * 60 * MINUTE;
      await retries.claim(10);
      expect(await store.get(busy.key)).toBeUndefined();
    });

    it('a page skipped while its host backs off comes due with the host and spends no attempt', async () => {
      const retries = queue();
      const item = draft('skipped');
      const until = clock + 17 * MINUTE;
      await retries.record(item, 'h', failed(item, 'the site failed recently', true, until), 5);
      expect(await store.get(item.key)).toMatchObject({ state: 'pending', attempts: 5 });
      expect(Date.parse((await store.get(item.key))!.nextAt)).toBe(until);
    });

    it('caps the pending retries; one already waiting may still be rescheduled', async () => {
      const retries = queue({ maxPending: 2 });
      const [a, b, c] = [draft('a'), draft('b'), draft('c')];
      for (const item of [a, b, c]) await retries.record(item, 'h', failed(item, 'timeout', true), 0);
      expect(await retries.pending()).toBe(2);
      expect(await store.get(c.key)).toBeUndefined();
      await retries.record(a, 'h', failed(a, 'timeout', true), 1);
      expect((await store.get(a.key))?.attempts).toBe(1);
    });

    it('hands a due retry to one claimer, and again only after its lease runs out', async () => {
      const one = queue();
      const other = queue(); // a second replica over the same database
      const item = draft('due');
      await one.record(item, 'h', failed(item, 'the page could not be read (429)', true), 0);
      expect(await one.claim(10)).toEqual([]);
      clock += 2 * MINUTE;
      const claimed = await one.claim(10);
      expect(claimed.map((retry) => retry.articleKey)).toEqual([item.key]);
      expect(await other.claim(10)).toEqual([]);
      clock += 11 * MINUTE; // the claimer died: the lease (10 minutes) runs out
      expect((await other.claim(10)).map((retry) => retry.articleKey)).toEqual([item.key]);
    });
  });
}
