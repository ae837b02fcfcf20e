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
  Pick<FeedRecord, 'title' | 'etag' | 'lastModified' | 'lastPolledAt' | 'nextPollAt' | 'failures' | 'firstFailureAt' | 'disabled' | 'lastError' | 'polls'>
>;

/** The feed list plus the item-key memory that keeps guid churn from reposting. */
export interface FeedStore {
  /** Add a feed, or re-enable it if it was disabled. `created` is false when it already existed. */
  add(url: string, options: { addedBy?: string; now: string }): Promise<{ feed: FeedRecord; created: boolean }>;
  list(): Promise<FeedRecord[]>;
  /** By id or by URL. */
  get(idOrUrl: string): Promise<FeedRecord | undefined>;
  remove(idOrUrl: string): Promise<boolean>;
  /** Patch status fields; `undefined` values clear a field. */
  update(url: string, patch: FeedStatusPatch): Promise<void>;
  /** Enabled feeds whose nextPollAt has come (or is unset), soonest first. */
  due(now: string, limit: number): Promise<FeedRecord[]>;
  /** The article key already stored for the first of `keys` that is known. */
  findArticleKey(keys: string[]): Promise<string | undefined>;
  /** Remember that each of `keys` names the article stored under `articleKey`. */
  rememberKeys(keys: string[], articleKey: string, now: string): Promise<void>;
}
