import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Slack redelivers an event it saw no acknowledgement for within 3 s: at once, then after about
 * a minute and after five (X-Slack-Retry-Num 1 to 3 over HTTP, `retry_attempt` in Socket Mode),
 * always with the same `event_id`. Ten minutes covers the last of them.
 */
const WINDOW_MS = 10 * 60 * 1000;
/** Far more events than a workspace sends the bot in ten minutes; past it the oldest are forgotten. */
const MAX_REMEMBERED = 5_000;

/** The event ids seen lately: bounded in number and in age. */
export interface SeenEvents {
  /** True the first time `id` is offered within the window, false for every later offer. */
  firstSighting(id: string): boolean;
  /** How many ids are remembered now. */
  readonly size: number;
}

export function createSeenEvents(options: { windowMs?: number; max?: number; now?: () => number } = {}): SeenEvents {
  const windowMs = options.windowMs ?? WINDOW_MS;
  const max = Math.max(1, options.max ?? MAX_REMEMBERED);
  const now = options.now ?? Date.now;
  // Insertion order is sighting order, so the oldest entries are always at the front.
  const seenAt = new Map<string, number>();

  /** Drops the ids older than the window, and the oldest beyond `keep`. */
  function forget(at: number, keep: number): void {
    for (const [id, when] of seenAt) {
      if (at - when < windowMs && seenAt.size <= keep) return;
      seenAt.delete(id);
    }
  }

  return {
    firstSighting(id) {
      const at = now();
      forget(at, max);
      if (seenAt.has(id)) return false;
      forget(at, max - 1);
      seenAt.set(id, at);
      return true;
    },
    get size() {
      return seenAt.size;
    },
  };
}

/**
 * Global middleware: an Events API delivery whose `event_id` this process has already taken is
 * not handled again. Bolt acknowledges an event before any middleware runs, so the redelivery still
 * gets its 200 (HTTP) or envelope ack (Socket Mode) at once and Slack stops retrying. The id is
 * taken on first arrival, not on success: Slack had its acknowledgement either way and will not
 * send the event again for a failure of ours. A retry of an event that never got this far (a 503
 * during start-up, a replica that died) is handled as the first delivery it is.
 *
 * The memory is this process's: with several replicas behind one Request URL (or several Socket
 * Mode connections), a retry that lands on another replica is handled there once more.
 */
export function dropRedeliveries(deps: { seen: SeenEvents; log: Logger }): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId && !deps.seen.firstSighting(eventId)) {
      deps.log.debug(
        {
          eventId,
          eventType: (body as { event?: { type?: unknown } }).event?.type,
          retryNum: context.retryNum,
          retryReason: context.retryReason,
        },
        'slack event delivered again; already handled, dropped',
      );
      return;
    }
    await next();
  };
}
