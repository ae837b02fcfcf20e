import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as both databases hold them (the one schema description). Booleans are 0/1 in SQLite
 * and real booleans in PostgreSQL; the SQLite connection turns boolean parameters into 0/1, and
 * rows.ts reads either. PostgreSQL returns bigint and count(*) as strings.
 */
export interface ArticlesTable {
  num: Generated<number | string>;
  id: string;
  key: string;
  title: string;
  sort_date: string;
  origin_path: string | null;
  content_hash: string;
  data: string;
  first_seen_at: string;
  updated_at: string;
  /** Which summariser and sources code computed the derived fields ('' before it was recorded). */
  derived_version: Generated<string>;
  /** The feed an article came from (null for files): what visibility by space filters on. */
  feed_url: string | null;
  /** PostgreSQL only: the tsvector, written as an expression by the PostgreSQL text search. */
  search: ColumnType<never, unknown, unknown>;
}

export interface ArticleFilesTable {
  path: string;
  mtime_ms: number;
  size: number | string;
  article_key: string;
}

export interface ArticleOutboxTable {
  article_id: string;
  status: 'new' | 'updated';
  created_at: string;
}

export interface DeliveriesTable {
  article_id: string;
  channel: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  message_id: string | null;
  last_error: string | null;
  not_before: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryChannelsTable {
  channel: string;
  claimed_by: string | null;
  claim_until: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface FeedsTable {
  id: string;
  url: string;
  title: string | null;
  added_by: string | null;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  next_poll_at: string | null;
  failures: Generated<number>;
  first_failure_at: string | null;
  disabled: Generated<number | boolean>;
  last_error: string | null;
  polls: Generated<number>;
}

/** Which spaces link a feed; a feed is polled while it has at least one. */
export interface FeedLinksTable {
  feed_id: string;
  space: string;
  added_by: string | null;
  added_at: string;
  /** Whether to fetch the full page of teaser items for this space's link. */
  fulltext: Generated<'auto' | 'always' | 'never'>;
}

export interface FeedItemKeysTable {
  key: string;
  article_key: string;
  seen_at: string;
}

export interface SubscriptionsTable {
  channel: string;
  space: string | null;
  schedule: string | null;
  timezone: string | null;
  filter: string;
  digest: number;
  paused: number | boolean;
  origin: 'config' | 'command';
  created_by: string | null;
  created_at: string;
  /** JSON array of feed ids the subscription is limited to; null for everything the space sees. */
  feeds: string | null;
  /** JSON of a Partial<Presentation>. */
  presentation: string | null;
}

/** PostgreSQL only (several replicas). */
export interface RateSlotsTable {
  key: string;
  next_at: number;
  holder: string | null;
  held_until: number | null;
}

export interface ScheduleRunsTable {
  key: string;
  last_fire: string;
  ran_by: string | null;
  ran_at: string | null;
}

/** Teasers whose page failed for a reason that may pass (timeout, 429, 5xx), to be fetched again. */
export interface FullTextRetriesTable {
  article_key: string;
  url: string;
  feed_hash: string;
  draft: string;
  attempts: number;
  state: 'pending' | 'gave_up';
  next_at: string;
  reason: string;
  updated_at: string;
}

export interface StoreSchema {
  articles: ArticlesTable;
  article_files: ArticleFilesTable;
  article_outbox: ArticleOutboxTable;
  deliveries: DeliveriesTable;
  delivery_channels: DeliveryChannelsTable;
  meta: MetaTable;
  feeds: FeedsTable;
  feed_item_keys: FeedItemKeysTable;
  feed_links: FeedLinksTable;
  subscriptions: SubscriptionsTable;
  rate_slots: RateSlotsTable;
  schedule_runs: ScheduleRunsTable;
  fulltext_retries: FullTextRetriesTable;
}
