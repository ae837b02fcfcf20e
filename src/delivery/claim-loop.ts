import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseChannelId, type ChannelId } from '../domain/channel.js';
import type { Delivery } from '../domain/delivery.js';
import type { Logger } from '../logger.js';
import type { ClaimQuery, DeliveryStore } from '../store/ports.js';

/** A name for this process in delivery claims: unique per replica, readable in the database. */
export function claimOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface ClaimLoopDeps {
  deliveries: DeliveryStore;
  log: Logger;
  /** What to claim; `now` is filled in for each claim. */
  query: Omit<ClaimQuery, 'now'>;
  now: () => Date;
  /** Channels worked on at once, for each platform. */
  concurrency: (platform: string) => number;
  deliver: (channel: ChannelId, rows: Delivery[]) => Promise<void>;
  /** Channels just claimed, before any is delivered: a chance to read what they need in one go. */
  claimed?: (channels: ChannelId[]) => void;
}

/** One platform's channels waiting for a worker, and its workers. */
interface Queue {
  items: [ChannelId, Delivery[]][];
  workers: number;
  most: number;
}

/**
 * Workers for a platform allowed `limit` requests per `windowMs`: a whole window's worth ready at
 * once (the lanes of a window come free together), and a few more to claim ahead; at most 64.
 */
export function workersForRate(rate: { limit: number; windowMs: number }, most = 64): number {
  const perSecond = (rate.limit * 1000) / rate.windowMs;
  return Math.max(4, Math.min(most, Math.ceil(perSecond * 1.3)));
}

/**
 * One pass: claim channels in batches, one batch ahead of the workers, and work them, one pool of
 * workers per platform, until a claim finds nothing left. Claimed channels stay ours until the pass ends (so a channel is worked
 * at most once per pass, which keeps flood control per tick), renewed by a heartbeat so a replica
 * that dies gives them up after one lease. The pass then gives them all back.
 */
export async function runClaimLoop(deps: ClaimLoopDeps): Promise<void> {
  const { deliveries, log, query } = deps;
  const queues = new Map<string, Queue>();
  const running: Promise<void>[] = [];
  let exhausted = false;
  let claiming: Promise<void> | undefined;

  const heartbeat = setInterval(
    () => {
      const until = new Date(deps.now().getTime() + query.leaseMs).toISOString();
      deliveries
        .renewClaims(query.owner, until)
        .catch((err: unknown) => log.warn({ err, owner: query.owner }, 'could not renew delivery claims'));
    },
    Math.max(50, Math.floor(query.leaseMs / 3)),
  );
  heartbeat.unref();

  function add(rows: Delivery[]): void {
    const byChannel = new Map<ChannelId, Delivery[]>();
    for (const row of rows) {
      const list = byChannel.get(row.channel);
      if (list) list.push(row);
      else byChannel.set(row.channel, [row]);
    }
    deps.claimed?.([...byChannel.keys()]);
    // One pool of workers per platform: a platform that paces slowly (Slack's 1/s per channel,
    // its workspace cap) must not hold the workers another platform could use at its own pace.
    for (const entry of byChannel) {
      const platform = parseChannelId(entry[0])?.platform ?? 'unknown';
      let queue = queues.get(platform);
      if (!queue) queues.set(platform, (queue = { items: [], workers: 0, most: deps.concurrency(platform) }));
      queue.items.push(entry);
    }
    // Counted before any starts: a worker takes its first channel as it starts, so comparing with
    // the queue as it shrinks started only half as many workers as channels (32 of a 64-channel claim).
    for (const queue of queues.values()) {
      const wanted = Math.min(queue.most, queue.workers + queue.items.length);
      while (queue.workers < wanted) {
        queue.workers += 1;
        running.push(worker(queue));
      }
    }
  }

  function claimMore(): Promise<void> {
    if (exhausted) return Promise.resolve();
    claiming ??= (async () => {
      try {
        const rows = await deliveries.claimDue({ ...query, now: deps.now().toISOString() });
        if (rows.length === 0) exhausted = true;
        else add(rows);
      } catch (err) {
        // The database is away: stop this pass; the claims made so far lapse if they cannot be given back.
        exhausted = true;
        log.error({ err }, 'could not claim deliveries');
      } finally {
        claiming = undefined;
      }
    })();
    return claiming;
  }

  async function worker(queue: Queue): Promise<void> {
    try {
      for (;;) {
        const next = queue.items.shift();
        // Claim the next channels while these requests are on the wire: a worker that found the
        // queue empty and had to wait for a claim would leave a hole in the platform's window.
        if (queue.items.length < queue.most) void claimMore();
        if (next) {
          try {
            await deps.deliver(next[0], next[1]);
          } catch (err) {
            log.error({ err, channel: next[0] }, 'delivery bookkeeping failed');
          }
        } else if (exhausted) {
          return;
        } else {
          await claimMore();
        }
      }
    } finally {
      queue.workers -= 1;
    }
  }

  try {
    await claimMore();
    // Workers started by later claims join the list while earlier ones run.
    while (running.length > 0) await Promise.all(running.splice(0));
  } finally {
    clearInterval(heartbeat);
    await deliveries
      .releaseClaims(query.owner)
      .catch((err: unknown) =>
        log.warn({ err, owner: query.owner }, 'could not release delivery claims; they lapse after their lease'),
      );
  }
}
