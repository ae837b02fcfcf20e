/** A subscribed feed and what polling has learned about it. */
export interface FeedRecord {
  /** Short stable id, for `/news feeds remove <id>`. */
  id: string;
  url: string;
  title?: string;
  /** Who added it (platform user id) and where; absent for FEED_URLS. */
  addedBy?: string;
  addedAt: string;
  etag?: string;
  lastModified?: string;
  lastPolledAt?: string;
  /** ISO 8601; absent means "poll now". */
  nextPollAt?: string;
  /** Consecutive failed polls. */
  failures: number;
  firstFailureAt?: string;
  /** Set after 48 h of failures; cleared by re-adding the feed. */
  disabled: boolean;
  lastError?: string;
  /** Successful polls so far; 0 means the next poll is the first (no-flood). */
  polls: number;
}

export type FeedStatusPatch = Partial<
  Pick<
    FeedRecord,
    | 'title'
    | 'etag'
    | 'lastModified'
    | 'lastPolledAt'
    | 'nextPollAt'
    | 'failures'
    | 'firstFailureAt'
    | 'disabled'
    | 'lastError'
    | 'polls'
  >
>;

/** Whether teaser items of a linked feed get their page fetched. */
export type FullTextPolicy = 'auto' | 'always' | 'never';

/** One space's link to a (global) feed. */
export interface FeedLink {
  feedId: string;
  space: string;
  addedBy?: string;
  addedAt: string;
  fulltext: FullTextPolicy;
}

/** The feed list plus the item-key memory that keeps guid churn from reposting. */
export interface FeedStore {
  /**
   * Add a feed (once per URL), or re-enable it if it was disabled, and link it to `space` (default
   * the operator). `created`: the feed row is new; `linked`: the space did not link it before.
   */
  add(
    url: string,
    options: { addedBy?: string; now: string; space?: string },
  ): Promise<{ feed: FeedRecord; created: boolean; linked: boolean }>;
  /** Every feed, or those `space` links. */
  list(space?: string): Promise<FeedRecord[]>;
  /** By id or by URL. */
  get(idOrUrl: string): Promise<FeedRecord | undefined>;
  /** Delete a feed and all its links. */
  remove(idOrUrl: string): Promise<boolean>;
  /** Every space's link to one feed (by id or URL), oldest first. */
  links(idOrUrl: string): Promise<FeedLink[]>;
  /** Drop one space's link; the feed row goes with its last link. False when the space had none. */
  unlink(idOrUrl: string, space: string): Promise<boolean>;
  /** How many feeds `space` links. */
  countLinks(space: string): Promise<number>;
  /** Patch status fields; `undefined` values clear a field. */
  update(url: string, patch: FeedStatusPatch): Promise<void>;
  /** Enabled, linked feeds whose nextPollAt has come (or is unset), soonest first. */
  due(now: string, limit: number): Promise<FeedRecord[]>;
  /** The article key already stored for the first of `keys` that is known. */
  findArticleKey(keys: string[]): Promise<string | undefined>;
  /** Remember that each of `keys` names the article stored under `articleKey`. */
  rememberKeys(keys: string[], articleKey: string, now: string): Promise<void>;
}
