import { describe, expect, it } from 'vitest';
import type { Article, ArticleDraft } from '../../src/domain/article.js';
import { createFeedItemFullText, type StoreStatus } from '../../src/ingest/fulltext/feed-item-full-text.js';
import type { FullTextFetcher, FullTextResult } from '../../src/ingest/fulltext/full-text-fetcher.js';
import { silentLog } from '../support/runtime.js';

const teaserDraft = (): ArticleDraft => ({
  key: 'feed:guid:pier',
  title: 'Pier closed',
  body: [{ type: 'paragraph', text: 'The town pier is closed after an inspection found damage.' }],
  images: [],
  origin: { kind: 'feed', feedUrl: 'http://feeds.example/rss' },
  publishers: [],
  links: [],
  tags: [],
  url: 'http://news.example/pier',
});

const full = (draft: ArticleDraft): FullTextResult => {
  const body = [{ type: 'paragraph' as const, text: 'The whole article, from the page.' }];
  return {
    draft: { ...draft, body, basis: { kind: 'full' } },
    basis: { kind: 'full' },
    counts: { fetched: 1, failed: 0, paywalled: 0 },
  };
};

/** Stores in memory the way the article store decides new / updated / unchanged. */
function memoryStore() {
  const byKey = new Map<string, Article>();
  const calls: { draft: ArticleDraft; announce: boolean; status: StoreStatus }[] = [];
  return {
    calls,
    getByKey: async (key: string) => byKey.get(key),
    store: async (draft: ArticleDraft, contentHash: string, announce: boolean): Promise<StoreStatus> => {
      const existing = byKey.get(draft.key);
      const status: StoreStatus = !existing ? 'new' : existing.contentHash === contentHash ? 'unchanged' : 'updated';
      byKey.set(draft.key, { ...draft, contentHash } as Article);
      calls.push({ draft, announce, status });
      return status;
    },
  };
}

function fetcherWith(answer: (draft: ArticleDraft) => Promise<FullTextResult>) {
  let calls = 0;
  const fetcher: FullTextFetcher = {
    enrich: (draft) => {
      calls++;
      return answer(draft);
    },
  };
  return { fetcher, calls: () => calls };
}

describe('feed items and their pages', () => {
  it('stores the page text when it arrives within the wait, and does not fetch an unchanged item again', async () => {
    const store = memoryStore();
    const { fetcher, calls } = fetcherWith(async (draft) => full(draft));
    const step = createFeedItemFullText({ fullText: fetcher, ...store, waitMs: 1_000, log: silentLog });
    expect(await step.ingest(teaserDraft(), { announce: true })).toBe('new');
    expect(store.calls[0]?.draft.basis).toEqual({ kind: 'full' });
    expect(await step.ingest(teaserDraft(), { announce: true })).toBe('unchanged');
    expect(calls()).toBe(1);
    expect(step.counts()).toEqual({ fetched: 1, failed: 0, paywalled: 0 });
  });

  it('after the wait, stores the teaser at once and the page text as an update when it comes', async () => {
    const store = memoryStore();
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { fetcher } = fetcherWith(async (draft) => {
      await gate;
      return full(draft);
    });
    const step = createFeedItemFullText({ fullText: fetcher, ...store, waitMs: 20, log: silentLog });
    expect(await step.ingest(teaserDraft(), { announce: true })).toBe('new');
    expect(store.calls[0]?.draft.basis).toMatchObject({ kind: 'teaser' });
    release?.();
    await step.idle();
    expect(store.calls.map((call) => call.status)).toEqual(['new', 'updated']);
    expect(store.calls[1]?.draft.body[0]?.text).toBe('The whole article, from the page.');
  });

  it('a changed feed item is fetched again', async () => {
    const store = memoryStore();
    const { fetcher, calls } = fetcherWith(async (draft) => full(draft));
    const step = createFeedItemFullText({ fullText: fetcher, ...store, waitMs: 1_000, log: silentLog });
    await step.ingest(teaserDraft(), { announce: true });
    const changed = { ...teaserDraft(), title: 'Pier closed for a year' };
    expect(await step.ingest(changed, { announce: true })).toBe('updated');
    expect(calls()).toBe(2);
  });

  it('a page that fails after the wait replaces "still being fetched" with why it failed', async () => {
    const store = memoryStore();
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { fetcher } = fetcherWith(async (draft) => {
      await gate;
      const basis = { kind: 'teaser' as const, reason: 'the page could not be read (503)' };
      return { draft: { ...draft, basis }, basis, counts: { fetched: 0, failed: 1, paywalled: 0 }, transient: true };
    });
    const step = createFeedItemFullText({ fullText: fetcher, ...store, waitMs: 20, log: silentLog });
    await step.ingest(teaserDraft(), { announce: true });
    expect(store.calls[0]?.draft.basis).toEqual({ kind: 'teaser', reason: 'the full article is still being fetched' });
    release?.();
    await step.idle();
    expect(store.calls.map((call) => call.status)).toEqual(['new', 'updated']);
    expect(store.calls[1]?.draft.basis).toEqual({ kind: 'teaser', reason: 'the page could not be read (503)' });
  });
});
