import type { Article, ArticleDraft, ArticleSource, ArticleSummary } from '../domain/article.js';
import type { ChannelId } from '../domain/channel.js';
import type { Delivery } from '../domain/delivery.js';
import type { Subscription } from '../domain/subscription.js';
import type { FeedStore } from './feed-ports.js';
import type { FullTextRetryStore } from './fulltext-retry-ports.js';

/** A draft with everything ingest computes once: summary, sources and hash. */
export interface ArticleInput extends ArticleDraft {
  summary: ArticleSummary;
  sources: ArticleSource[];
  contentHash: string;
  /**
   * The key this article was stored under before, when the caller knows it changed (a file whose
   * title was edited, a feed item whose guid churned). The stored article is re-keyed, keeping its id.
   */
  previousKey?: string;
  /**
   * Whether a new article should go to subscribed channels (default true). A feed's first poll
   * stores what is already on the feed without announcing it.
   */
  announce?: boolean;
  /** The version of the code that computed summary and sources (opaque); '' when unknown. */
  derivedVersion?: string;
}

/** What a summariser upgrade recomputes, without it counting as a change of the article. */
export interface DerivedFields {
  summary: ArticleSummary;
  sources: ArticleSource[];
  derivedVersion: string;
}

/** An article stored or changed whose fan-out has not been done yet (the transactional outbox). */
export interface OutboxEntry {
  article: Article;
  status: 'new' | 'updated';
}

export type UpsertStatus = 'new' | 'updated' | 'unchanged';

export interface UpsertResult {
  status: UpsertStatus;
  article: Article;
}

export interface ArticleTitle {
  id: string;
  title: string;
}

/** The article store. Dedups on `key`; ids never change once given. */
export interface ArticleStore {
  /** Insert or update by canonical key. `now` is the ingest time (ISO 8601). */
  upsert(input: ArticleInput, now?: string): Promise<UpsertResult>;
  /** Many upserts in one transaction (bulk ingest); results in input order. */
  upsertMany(inputs: ArticleInput[], now?: string): Promise<UpsertResult[]>;
  /**
   * By id, whatever its case. With `viewer` (a space id), only what that space may see: files, and
   * articles of feeds the operator or the space links; anything else is not found. Likewise below.
   */
  get(id: string, viewer?: string): Promise<Article | undefined>;
  getByKey(key: string): Promise<Article | undefined>;
  /** Newest first, by published date, then first-seen. */
  latest(limit: number, viewer?: string): Promise<Article[]>;
  /** Full-text search over title and body, best match first. */
  search(query: string, limit: number, viewer?: string): Promise<Article[]>;
  /** Titles for autocomplete: id prefix or words in the title. */
  suggest(typed: string, limit: number, viewer?: string): Promise<ArticleTitle[]>;
  count(): Promise<number>;
  /**
   * Articles stored as new or updated whose fan-out is not yet done, oldest first. Upserts record
   * them in the same transaction, so a kill between storing and fanning out loses nothing.
   */
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  /** Fan-out done for these articles. */
  clearOutbox(articleIds: string[]): Promise<void>;
  /**
   * Articles whose summary and sources came from another version than `version`, in storage order,
   * at most `limit`. Pass the last id of a batch as `after` to go on from there (a job resuming).
   */
  staleDerived(version: string, limit: number, after?: string): Promise<Article[]>;
  /**
   * Replace summary, sources and derivedVersion of one article. Its content hash, updatedAt and
   * the outbox stay as they are, so no post is edited because a summary improved. False if unknown.
   */
  replaceDerived(id: string, derived: DerivedFields): Promise<boolean>;
}

/** The delivery ledger: one row per (article, channel), never two. */
export interface DeliveryStore {
  /** Add pending rows; existing pairs are left as they are. Returns how many were added. */
  enqueue(articleId: string, channels: ChannelId[], now?: string): Promise<number>;
  /** Every row of one article (edits after the article changed). */
  forArticle(articleId: string): Promise<Delivery[]>;
  /** Send a row again from scratch (ON_UPDATE=repost). */
  reset(articleId: string, channel: ChannelId, now: string): Promise<void>;
  /** Send this channel's failed rows again (after its permissions were fixed). Returns how many. */
  requeueFailed(channel: ChannelId, now: string): Promise<number>;
  /** What `/news status` shows for a channel. */
  channelStatus(channel: ChannelId, failures: number): Promise<ChannelStatus>;
  /**
   * Claim whole channels for one replica and return their due rows (at most
   * `perChannel` per channel, oldest first). A channel is claimable when no live claim holds it:
   * never claimed, released, or its lease ran out (its replica died); a row left in `sending`
   * comes back this way and must be resolved before any resend. Claims by two replicas at once
   * never overlap (PostgreSQL: FOR UPDATE SKIP LOCKED on the channel rows).
   */
  claimDue(query: ClaimQuery): Promise<Delivery[]>;
  /** Extend every claim `owner` holds to `until` (a heartbeat). Returns how many channels it holds. */
  renewClaims(owner: string, until: string): Promise<number>;
  /** Give back `owner`'s claims: on those channels, or all of them. */
  releaseClaims(owner: string, channels?: ChannelId[]): Promise<void>;
  /**
   * Durably mark a row as in flight, before the request goes out. With `claim`, only while that
   * owner still holds the channel (its lease is extended to `now + leaseMs`): false means the claim
   * was lost to another replica and nothing may be sent.
   */
  markSending(articleId: string, channel: ChannelId, now: string, claim?: ClaimRef): Promise<boolean>;
  markSent(articleId: string, channel: ChannelId, messageId: string, now: string): Promise<void>;
  /**
   * A post of several steps (a Discord message, then its thread) has done its first: the message id is
   * kept on the row, which stays in flight, so a restart finishes the steps instead of posting again.
   */
  markPosted(articleId: string, channel: ChannelId, messageId: string, now: string): Promise<void>;
  /** Put a row back for a retry at `notBefore`, or fail it for good when `final`. */
  markRetry(articleId: string, channel: ChannelId, error: string, notBefore: string, now: string): Promise<void>;
  markFailed(articleId: string, channel: ChannelId, error: string, now: string): Promise<void>;
  countByState(): Promise<Record<Delivery['state'], number>>;
}

/** Who holds a claim, and for how long each renewal keeps it. */
export interface ClaimRef {
  owner: string;
  leaseMs: number;
}

export interface ClaimQuery extends ClaimRef {
  now: string;
  /** Channels claimed at most by this call. */
  maxChannels: number;
  perChannel: number;
  channels?: string[];
  retriesOnly?: boolean;
}

/** What `/news status` shows: the last post, what waits, what is being retried and why, and what failed. */
export interface ChannelStatus {
  lastSent?: Delivery;
  pending: number;
  sending: number;
  /** Pending rows that failed at least once, with the last error: a 429 storm or an outage, while it lasts. */
  retrying: Delivery[];
  failed: Delivery[];
}

/** One subscription per channel. */
export interface SubscriptionStore {
  /** Insert or replace the channel's subscription. */
  putSubscription(subscription: Subscription): Promise<void>;
  getSubscription(channel: ChannelId): Promise<Subscription | undefined>;
  /** Those of these channels that are subscribed, in one read (a delivery pass claims channels in batches). */
  getSubscriptions(channels: readonly ChannelId[]): Promise<Subscription[]>;
  removeSubscription(channel: ChannelId): Promise<boolean>;
  /** All of them, or those of one guild/workspace. */
  listSubscriptions(space?: string): Promise<Subscription[]>;
  setPaused(channel: ChannelId, paused: boolean): Promise<boolean>;
}

/** Small key-value settings (e.g. the hash of registered Discord commands). */
export interface MetaStore {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}

/** What ingest remembers of each article file, so an unchanged file is not parsed again. */
export interface FileRecord {
  path: string;
  mtimeMs: number;
  size: number;
  articleKey: string;
}

export interface FileIndexStore {
  getFile(path: string): Promise<FileRecord | undefined>;
  /** Record many files in one transaction. */
  setFiles(records: FileRecord[]): Promise<void>;
  /** Every recorded path below a folder (for noticing deleted files). */
  filesUnder(folder: string): Promise<FileRecord[]>;
  removeFile(path: string): Promise<void>;
}

/** Mutual exclusion across replicas sharing one database. */
export interface LockStore {
  /**
   * Run `work` unless another replica runs `key` right now. With `fire` (the scheduled instant of
   * a cron fire, ISO 8601), also skip it when any replica already ran `key` for that instant or a
   * later one, so a tick fires once however many replicas schedule it.
   */
  tryRun<T>(
    key: string,
    work: () => Promise<T>,
    options?: { fire?: string; owner?: string },
  ): Promise<{ ran: true; value: T } | { ran: false }>;
}

/**
 * Evenly spaced request slots shared by every replica (a rate limit kept in the database).
 * Times are the database's clock, so replicas' clocks need not agree.
 */
export interface RateSlotStore {
  /**
   * Reserve the next slot of `key`, at least `gapMs` after the one before; resolves with how long
   * to wait for it and the slot's time on the database's clock (ms), which orders slots across replicas.
   */
  take(key: string, gapMs: number): Promise<{ waitMs: number; slotAt: number }>;
  /** Hold every slot of each of `keys` for `ms` from now (a global 429), all in one statement. */
  pause(keys: readonly string[], ms: number): Promise<void>;
  /**
   * Hold up to `count` (default 1) of the free lanes among `lanes` whose next slots come first, as
   * `holder`, each until `release` or until `leaseMs` after its slot (a holder that died). A lane whose
   * lease ran out is free again, its slot `gapMs` after the lease's end (`expired`). Soonest slot
   * first; empty when every lane is held.
   */
  hold(
    lanes: readonly string[],
    holder: string,
    options: { gapMs: number; leaseMs: number; count?: number },
  ): Promise<{ lane: string; waitMs: number; expired: boolean }[]>;
  /**
   * Let go of `lane`: its next slot is `gapMs` after the request left, `sinceLeftMs` ago (where it
   * was, when nothing left). Resolves false when the lease had run out and the lane was not ours.
   */
  release(lane: string, holder: string, options: { gapMs: number; sinceLeftMs?: number }): Promise<boolean>;
}

/** Everything one database provides. */
export interface Stores {
  articles: ArticleStore;
  deliveries: DeliveryStore;
  meta: MetaStore;
  files: FileIndexStore;
  subscriptions: SubscriptionStore;
  /** Polled feeds and the feed item-key memory. */
  feeds: FeedStore;
  /** Teaser pages to fetch again after a failure that may pass. */
  fullTextRetries: FullTextRetryStore;
  /** Only where several processes share the database (PostgreSQL); a single process needs none. */
  locks?: LockStore;
  rateSlots?: RateSlotStore;
  close(): Promise<void>;
}
