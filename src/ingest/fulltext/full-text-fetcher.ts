import type { ArticleDraft, BodyBlock } from '../../domain/article.js';
import type { ArticleBasis } from '../../domain/basis.js';
import type { Logger } from '../../logger.js';
import type { FeedFetcher } from '../feeds/fetch-feed.js';
import type { ExtractedBlock } from './blocks.js';
import type { ExtractedArticle } from './extract-article.js';
import type { ExtractPool } from './extract-pool.js';
import { fetchArticlePage, type PageResult } from './fetch-page.js';
import { createPageGate } from './page-gate.js';
import { type FullTextPolicy, looksLikeTeaser, shouldFetchFullText, type TeaserHistory, wordCount } from './teaser.js';

export interface FullTextCounts {
  /** 1 when the page was fetched and its article extracted. */
  fetched: number;
  /** 1 when a fetch was tried and gave nothing usable. */
  failed: number;
  paywalled: number;
}

export interface FullTextResult {
  /** The draft with the page's text when it was used, and `basis` set either way. */
  draft: ArticleDraft;
  basis: ArticleBasis;
  counts: FullTextCounts;
  /** The page failed in a way that may pass (timeout, 429, 5xx, connection, the host backed off). */
  transient?: boolean;
  /** Not fetched because its host is backing off until then (ms since the epoch). */
  hostBackoffUntil?: number;
}

export type FullTextOutcome = 'full' | 'teaser' | 'paywalled';

/** Told about every page tried (or skipped because its host backed off), and every extraction. */
export interface FullTextObserver {
  /** `reason` is a short fixed name (`status_5xx`, `timeout`, `not_article`, …), `none` unless a teaser. */
  outcome(outcome: FullTextOutcome, reason: string): void;
  extracted(seconds: number): void;
}

export interface FullTextFetcherDeps {
  /** The guarded fetcher; pass the poller's own so feeds and pages share one per-host queue. */
  fetcher: FeedFetcher;
  /** Usually `createExtractPool()`: untrusted HTML is parsed off the main thread with a time budget. */
  extractor: Pick<ExtractPool, 'extract'>;
  log?: Logger;
  /** Remembers which feeds send teasers; omit to judge each item on its own. */
  history?: TeaserHistory;
  /** The operator's default when a feed has no policy of its own. */
  defaultPolicy?: FullTextPolicy;
  /** Page fetches started per second, over all hosts (the host queue keeps one per host). */
  maxPerSecond?: number;
  /** First back-off after a host fails; it doubles on each further failure, up to an hour. */
  backoffMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  observer?: FullTextObserver;
}

export interface FullTextFetcher {
  /**
   * Decides whether the draft is a teaser, and if so fetches its page and extracts the article.
   * Never throws: every failure becomes a `teaser` basis with its reason.
   */
  enrich(draft: ArticleDraft, options?: { policy?: FullTextPolicy }): Promise<FullTextResult>;
}

const NONE: FullTextCounts = { fetched: 0, failed: 0, paywalled: 0 };
const MAX_BACKOFF_MS = 60 * 60 * 1000;

export function createFullTextFetcher(deps: FullTextFetcherDeps): FullTextFetcher {
  const now = deps.now ?? Date.now;
  const gate = createPageGate({
    maxPerSecond: deps.maxPerSecond ?? 4,
    now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const backoffMs = deps.backoffMs ?? 60_000;
  const hosts = new Map<string, { failures: number; until: number }>();
  const observe = (outcome: FullTextOutcome, reason = 'none') => deps.observer?.outcome(outcome, reason);

  function noteFailure(host: string): void {
    const entry = hosts.get(host) ?? { failures: 0, until: 0 };
    entry.failures++;
    entry.until = now() + Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (entry.failures - 1));
    hosts.delete(host);
    hosts.set(host, entry);
    if (hosts.size > 10_000) hosts.delete(hosts.keys().next().value as string);
  }

  /** The page, fetched in the host's turn; or until when the host is backing off. */
  function fetchInTurn(host: string, url: string): Promise<PageResult | number> {
    return gate.run(host, async () => {
      // Checked in the turn, not before queueing: the page ahead of this one may just have failed.
      const backoff = hosts.get(host);
      if (backoff && backoff.until > now()) return backoff.until;
      const page = await fetchArticlePage(deps.fetcher, url);
      if (page.ok) hosts.delete(host);
      else if (page.retryable) noteFailure(host);
      return page;
    });
  }

  async function readPage(draft: ArticleDraft & { url: string }): Promise<FullTextResult> {
    const page = await fetchInTurn(new URL(draft.url).host, draft.url);
    if (typeof page === 'number') {
      observe('teaser', 'host_backoff');
      const skipped = teaser(draft, 'the site failed recently; it will be tried again later', false);
      return { ...skipped, transient: true, hostBackoffUntil: page };
    }
    if (!page.ok) {
      observe('teaser', page.code);
      return { ...teaser(draft, page.reason, true), transient: page.transient };
    }
    const started = performance.now();
    const outcome = await deps.extractor.extract(page.html, page.url);
    deps.observer?.extracted((performance.now() - started) / 1000);
    if (!outcome.ok) {
      observe('teaser', 'extract_failed');
      return teaser(draft, outcome.reason, true);
    }
    const article = outcome.article;
    if (article.paywalled) {
      observe('paywalled');
      const reason = article.paywallReason ?? 'the article is behind a paywall';
      const basis: ArticleBasis = { kind: 'paywalled', reason };
      return { draft: withMetadata({ ...draft, basis }, article), basis, counts: { ...NONE, paywalled: 1 } };
    }
    const body = toBodyBlocks(article.blocks);
    if (body.length === 0 || wordCount({ body }) <= wordCount(draft)) {
      observe('teaser', 'not_article');
      return teaser(draft, 'the page is not an article page', true);
    }
    observe('full');
    const basis: ArticleBasis = { kind: 'full' };
    const links = mergeLinks(draft.links, article.blocks);
    return { draft: withMetadata({ ...draft, body, links, basis }, article), basis, counts: { ...NONE, fetched: 1 } };
  }

  return {
    async enrich(draft, options = {}) {
      const policy = options.policy ?? deps.defaultPolicy ?? 'auto';
      const teaserText = looksLikeTeaser(draft);
      if (draft.origin.kind === 'feed') deps.history?.record(draft.origin.feedUrl, teaserText);
      if (!shouldFetchFullText(draft, policy, deps.history) || !draft.url) {
        if (teaserText && draft.url) return teaser(draft, 'full-text fetching is off for this feed', false);
        if (teaserText) return teaser(draft, 'the item has no link to its page', false);
        const basis: ArticleBasis = draft.basis ?? { kind: 'feed' };
        return { draft: { ...draft, basis }, basis, counts: NONE };
      }
      try {
        const result = await readPage(draft as ArticleDraft & { url: string });
        if (result.basis.kind === 'teaser') {
          deps.log?.info({ url: draft.url, reason: result.basis.reason }, 'full text not used');
        }
        return result;
      } catch (err) {
        deps.log?.warn({ err, url: draft.url }, 'full-text fetch failed');
        observe('teaser', 'error');
        return teaser(draft, 'the page could not be read', true);
      }
    },
  };
}

function teaser(draft: ArticleDraft, reason: string, tried: boolean): FullTextResult {
  // An item that carried its full text (fetched under `always`) keeps that basis when its page fails.
  const basis: ArticleBasis = looksLikeTeaser(draft) ? { kind: 'teaser', reason } : (draft.basis ?? { kind: 'feed' });
  return { draft: { ...draft, basis }, basis, counts: tried ? { ...NONE, failed: 1 } : NONE };
}

/** Fills what the feed left out from the page; the feed's own values win. */
function withMetadata(draft: ArticleDraft, article: ExtractedArticle): ArticleDraft {
  const out = { ...draft };
  // Pages print "By Sam Reporter"; cards add their own "by".
  const byline = article.byline?.replace(/^\s*by\s+/i, '').trim();
  if (!out.author && byline) out.author = byline;
  if (!out.published && article.published) out.published = article.published;
  if (out.images.length === 0 && article.leadImage) out.images = [{ caption: '', url: article.leadImage }];
  return out;
}

/**
 * The domain has paragraphs and headings: a quote becomes a paragraph and each list item its own
 * paragraph (the summariser reads paragraphs; quote and list types are proposed for the domain).
 */
export function toBodyBlocks(blocks: ExtractedBlock[]): BodyBlock[] {
  const out: BodyBlock[] = [];
  for (const block of blocks) {
    if (block.type === 'heading') out.push({ type: 'heading', text: block.text });
    else if (block.type === 'list') for (const item of block.items) out.push({ type: 'paragraph', text: item });
    else out.push({ type: 'paragraph', text: block.text });
  }
  return out;
}

function mergeLinks(existing: ArticleDraft['links'], blocks: ExtractedBlock[]): ArticleDraft['links'] {
  const seen = new Set(existing.map((link) => link.url));
  const out = [...existing];
  for (const block of blocks) {
    for (const link of block.links) {
      if (seen.has(link.url) || out.length >= 200) continue;
      seen.add(link.url);
      out.push(link.text ? { url: link.url, text: link.text } : { url: link.url });
    }
  }
  return out;
}
