import { postReply } from '../../commands/cards.js';
import { parseChannelId, type ChannelId, type Platform } from '../domain/channel.js';
import type { Delivery } from '../domain/delivery.js';
import { NewsdeskError, isNewsdeskError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { PlatformAdapter } from '../platforms/adapter.js';
import type { Stores } from '../store/ports.js';
import { backoffMs } from './backoff.js';

export interface TickResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

export interface DispatcherDeps {
  stores: Stores;
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  log: Logger;
  /** Flood control: at most this many posts per channel per tick; the rest wait. */
  perChannelPerTick: number;
  /** Transient failures before a row is failed for good. */
  maxAttempts?: number;
  /** Channels worked on at once. */
  concurrency?: number;
  now?: () => Date;
  onResult?: (platform: Platform, outcome: 'sent' | 'retried' | 'failed') => void;
}

/** A stable ≤25-character token per (article, channel), so a resend after a crash is recognisable. */
export function deliveryNonce(articleId: string, channel: ChannelId): string {
  let hash = 0x811c9dc5;
  for (const char of channel) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `nd${articleId}${hash.toString(36)}`.slice(0, 25);
}

/** Sends due ledger rows through the adapters. One channel's failure never holds up another's. */
export function createDispatcher(deps: DispatcherDeps) {
  const { stores, log } = deps;
  const maxAttempts = deps.maxAttempts ?? 5;
  const now = deps.now ?? (() => new Date());
  let running: Promise<TickResult> | undefined;

  async function deliver(row: Delivery, result: TickResult): Promise<'continue' | 'stop-channel'> {
    const platform = parseChannelId(row.channel)?.platform;
    const adapter = platform ? deps.adapters[platform] : undefined;
    if (!platform || !adapter) {
      result.skipped += 1;
      return 'stop-channel';
    }
    const context = { articleId: row.articleId, channel: row.channel };
    const article = await stores.articles.get(row.articleId);
    if (!article) {
      await stores.deliveries.markFailed(row.articleId, row.channel, 'article no longer exists', now().toISOString());
      return 'continue';
    }
    const options = { articleId: row.articleId, nonce: deliveryNonce(row.articleId, row.channel) };
    try {
      if (row.state === 'sending' && adapter.findPosted) {
        // A crash left this row in flight: the post may have gone out. Look before resending.
        const found = await adapter.findPosted(row.channel, options);
        if (found) {
          await stores.deliveries.markSent(row.articleId, row.channel, found.messageId, now().toISOString());
          log.info({ ...context, messageId: found.messageId }, 'delivery recovered after restart');
          result.sent += 1;
          return 'continue';
        }
      }
      await stores.deliveries.markSending(row.articleId, row.channel, now().toISOString());
      const posted = await adapter.post(row.channel, postReply(article), options);
      await stores.deliveries.markSent(row.articleId, row.channel, posted.messageId, now().toISOString());
      log.info({ ...context, messageId: posted.messageId }, 'article posted');
      result.sent += 1;
      deps.onResult?.(platform, 'sent');
      return 'continue';
    } catch (err) {
      return handleFailure(row, platform, err, result);
    }
  }

  async function handleFailure(row: Delivery, platform: Platform, err: unknown, result: TickResult): Promise<'continue' | 'stop-channel'> {
    const at = now();
    const attempts = row.attempts + 1;
    const reason = err instanceof Error ? err.message : String(err);
    const context = { articleId: row.articleId, channel: row.channel, attempts };
    if (isNewsdeskError(err, 'forbidden') || isNewsdeskError(err, 'not_found')) {
      await stores.deliveries.markFailed(row.articleId, row.channel, reason, at.toISOString());
      log.warn({ ...context, err }, 'channel refused the post; skipping it');
      result.failed += 1;
      deps.onResult?.(platform, 'failed');
      return 'stop-channel';
    }
    const rateLimited = isNewsdeskError(err, 'rate_limited');
    if (!rateLimited && attempts >= maxAttempts) {
      await stores.deliveries.markFailed(row.articleId, row.channel, `${reason} (after ${attempts} attempts)`, at.toISOString());
      log.error({ ...context, err }, 'delivery failed for good');
      result.failed += 1;
      deps.onResult?.(platform, 'failed');
      return 'continue';
    }
    const waitMs = rateLimited ? Number((err as NewsdeskError).details.retryAfterMs ?? 1_000) : backoffMs(attempts);
    await stores.deliveries.markRetry(row.articleId, row.channel, reason, new Date(at.getTime() + waitMs).toISOString(), at.toISOString());
    log.warn({ ...context, err, waitMs }, 'delivery will be retried');
    result.retried += 1;
    deps.onResult?.(platform, 'retried');
    return 'stop-channel';
  }

  async function runTick(): Promise<TickResult> {
    const result: TickResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
    const rows = await stores.deliveries.due(now().toISOString(), 10_000, deps.perChannelPerTick);
    const byChannel = new Map<string, Delivery[]>();
    for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
    const channels = [...byChannel.values()];
    const workers = Array.from({ length: Math.min(deps.concurrency ?? 16, channels.length) }, async () => {
      for (let rowsOfChannel = channels.shift(); rowsOfChannel; rowsOfChannel = channels.shift()) {
        for (const row of rowsOfChannel) {
          try {
            if ((await deliver(row, result)) === 'stop-channel') break;
          } catch (err) {
            log.error({ err, articleId: row.articleId, channel: row.channel }, 'delivery bookkeeping failed');
            break;
          }
        }
      }
    });
    await Promise.all(workers);
    return result;
  }

  return {
    /** One pass over due rows. Overlapping calls share the pass in progress. */
    tick(): Promise<TickResult> {
      running ??= runTick().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Resolves when the pass in progress (if any) is done. */
    async idle(): Promise<void> {
      await running?.catch(() => undefined);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
