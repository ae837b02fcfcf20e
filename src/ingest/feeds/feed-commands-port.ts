import type { FeedStore } from './feed-store.js';
import type { PollResult } from './poller.js';
import { assertFetchableUrl, type Resolver } from './ssrf.js';

/** What the `/news feeds …` commands need: the store, a URL check, and a first poll. */
export interface FeedCommandsPort extends FeedStore {
  /** Throws `bad_input` / `forbidden` with a message fit for the user. Returns the normalised URL. */
  validateUrl(url: string): Promise<string>;
  /** Poll a newly added feed once in the background (records its items without posting them). */
  pollSoon?(url: string): void;
}

export function createFeedCommandsPort(deps: {
  feedStore: FeedStore;
  allowPrivate: boolean;
  pollOnce?: (url: string) => Promise<PollResult>;
  resolve?: Resolver;
  onPollError?: (err: unknown, url: string) => void;
}): FeedCommandsPort {
  const port: FeedCommandsPort = {
    ...deps.feedStore,
    async validateUrl(url) {
      const checked = await assertFetchableUrl(url, { allowPrivate: deps.allowPrivate, ...(deps.resolve ? { resolve: deps.resolve } : {}) });
      return checked.href;
    },
  };
  const pollOnce = deps.pollOnce;
  if (pollOnce) port.pollSoon = (url) => void pollOnce(url).catch((err: unknown) => deps.onPollError?.(err, url));
  return port;
}
