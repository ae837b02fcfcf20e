import { NewsdeskError, isNewsdeskError } from '../../domain/errors.js';
import { decodeFeedBytes } from './decode.js';
import { discoverFeeds, type DiscoveredFeed } from './feed-autodiscovery.js';
import type { FeedStore } from '../../store/feed-ports.js';
import { createFeedParser, type FeedParser } from './feed-parser.js';
import type { FeedFetcher } from './fetch-feed.js';
import type { PollResult } from './poller.js';
import { assertFetchableUrl, type Resolver } from './ssrf.js';

/** What fetching a URL once said about it, before anything is stored. */
export type FeedProbe =
  | { kind: 'feed'; title: string; items: number }
  /** An HTML page: the feeds it announces (none when it announces nothing fetchable). */
  | { kind: 'page'; feeds: DiscoveredFeed[] };

/** What the `/news feeds …` commands need: the store, a URL check, and a first poll. */
export interface FeedCommandsPort extends FeedStore {
  /** Throws `bad_input` / `forbidden` with a message fit for the user. Returns the normalised URL. */
  validateUrl(url: string): Promise<string>;
  /**
   * Fetch and parse the URL now (same guarded fetcher as polls). A feed answers with its title; an
   * HTML page with the feeds it links to; anything else throws `bad_input` saying what it was.
   */
  probe?(url: string): Promise<FeedProbe>;
  /** Fetch a document (an OPML list) through the same guarded fetcher as feeds; its text. */
  fetchText?(url: string): Promise<string>;
  /** Poll a newly added feed once in the background (records its items without posting them). */
  pollSoon?(url: string): void;
}

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType)) return true;
  return /<html[\s>]|<!doctype html/i.test(text.slice(0, 4096));
}

export function createFeedCommandsPort(deps: {
  feedStore: FeedStore;
  allowPrivate: boolean;
  /** With a fetcher, `probe` exists and `feeds add` checks a URL before storing it. */
  fetcher?: FeedFetcher;
  pollOnce?: (url: string) => Promise<PollResult>;
  resolve?: Resolver;
  onPollError?: (err: unknown, url: string) => void;
  /** Parses the probed document off the main thread with a time budget, as polls do; one is made if absent. */
  parser?: FeedParser;
}): FeedCommandsPort {
  const validateUrl = async (url: string) => {
    const checked = await assertFetchableUrl(url, {
      allowPrivate: deps.allowPrivate,
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    });
    return checked.href;
  };
  const port: FeedCommandsPort = { ...deps.feedStore, validateUrl };
  const { fetcher } = deps;
  let ownParser: FeedParser | undefined;
  const parser = (): FeedParser => deps.parser ?? (ownParser ??= createFeedParser());
  if (fetcher) {
    port.probe = async (url) => {
      const answer = await fetcher.fetch(url);
      if (answer.status !== 200) throw new NewsdeskError('transient', `${url} answered without a body`);
      const contentType = answer.contentType;
      try {
        // Anyone can hand `/news feeds add` a URL: its document gets the same worker and budget as a poll.
        const feed = await parser().prepare(answer.body, { url: answer.url, ...(contentType ? { contentType } : {}) });
        return { kind: 'feed', title: feed.title, items: feed.caps.itemsFound };
      } catch (err) {
        if (!isNewsdeskError(err, 'bad_input')) throw err;
        const { text } = decodeFeedBytes(answer.body, contentType);
        if (!looksLikeHtml(text, contentType)) throw err;
        // Offered links pass the same address check as a typed URL: a public page cannot point us inward.
        const offered: DiscoveredFeed[] = [];
        for (const candidate of discoverFeeds(text, answer.url)) {
          const checked = await validateUrl(candidate.url).catch(() => undefined);
          if (checked) offered.push({ ...candidate, url: checked });
        }
        return { kind: 'page', feeds: offered };
      }
    };
  }
  if (fetcher) {
    port.fetchText = async (url) => {
      const answer = await fetcher.fetch(await validateUrl(url));
      if (answer.status !== 200) throw new NewsdeskError('transient', `${url} answered without a body`);
      return decodeFeedBytes(answer.body, answer.contentType).text;
    };
  }
  const pollOnce = deps.pollOnce;
  if (pollOnce) port.pollSoon = (url) => void pollOnce(url).catch((err: unknown) => deps.onPollError?.(err, url));
  return port;
}
