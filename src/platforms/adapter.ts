import type { ChannelId, Platform } from '../domain/channel.js';
import type { Reply } from '../domain/reply.js';
import type { AdapterHealth } from './connection-state.js';

export interface PostOptions {
  /** The article this post is for; adapters put it where a later lookup can find it. */
  articleId: string;
  /** A stable per-(article, channel) token that lets the platform drop a duplicate send. */
  nonce: string;
  /**
   * Called when the request leaves for the platform (again on each resend), as near the wire as the
   * adapter can tell; the rate limiter counts the platform's window from then. Optional.
   */
  onSent?: () => void;
  /**
   * The message an earlier attempt already posted (its first step), from the ledger: the adapter
   * finishes the remaining steps (a Discord thread on it) instead of posting again.
   */
  postedMessageId?: string;
  /** Called once the first step of a post of several steps is done, before the next one starts. */
  onPosted?: (messageId: string) => Promise<void>;
  /**
   * Awaited before each request beyond the first that a post or a lookup makes (a thread, a channel
   * lookup), so the rate limiter counts it too; it resolves when that request may go.
   */
  beforeNextRequest?: () => Promise<void>;
}

export interface PostResult {
  messageId: string;
}

/**
 * A chat platform. Adapters turn platform events into Invocations, and Replies into messages.
 * Failures are thrown as NewsdeskError: `rate_limited` (details.retryAfterMs), `forbidden`
 * (the channel refuses us until reconfigured), `not_found`, `transient` (retry with backoff).
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** Connect and start taking commands. Resolves once ready to post. */
  start(): Promise<void>;
  /** Stop taking commands and disconnect. */
  stop(): Promise<void>;
  /** Post a scheduled message to a channel of this platform. */
  post(channel: ChannelId, reply: Reply, options: PostOptions): Promise<PostResult>;
  /** Replace an earlier post, when the article changed. */
  edit?(channel: ChannelId, messageId: string, reply: Reply): Promise<void>;
  /** Whether the live connection is up right now (`/readyz`); an adapter without one is up once started. */
  health?(): AdapterHealth;
  /**
   * After a crash mid-send: find a message already posted for this article, if the platform can tell.
   * With `reply`, the adapter also finishes what the post still lacks (a Discord thread on it).
   */
  findPosted?(channel: ChannelId, options: PostOptions, reply?: Reply): Promise<PostResult | undefined>;
}
