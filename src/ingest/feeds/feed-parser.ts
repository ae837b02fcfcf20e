import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import { NewsdeskError, type ErrorCode } from '../../domain/errors.js';
import { DEFAULT_FEED_CAPS, type FeedCaps } from './caps.js';
import type { PreparedFeed } from './prepare-feed.js';

export interface FeedParseJob {
  id: number;
  bytes: Uint8Array;
  url: string;
  contentType?: string;
  caps: FeedCaps;
}

export type FeedParseReply =
  | { id: number; ok: true; feed: PreparedFeed }
  | { id: number; ok: false; code: ErrorCode; message: string };

/** Turns a fetched document into drafts. Rejections are `NewsdeskError`s fit for the feed's status line. */
export interface FeedParser {
  prepare(bytes: Uint8Array, options: { url: string; contentType?: string }): Promise<PreparedFeed>;
  close(): Promise<void>;
}

export interface FeedParserDeps {
  /** Wall time one document may take once a worker has it; past it the document is quarantined. */
  budgetMs?: number;
  /** Worker threads; feeds are small, so one or two keep up with any poll rate. */
  size?: number;
  caps?: FeedCaps;
  /** Heap a worker may use, so a document cannot exhaust the process's memory either. */
  maxHeapMb?: number;
}

const DEFAULT_BUDGET_MS = 5_000;

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: { id: number; timer: NodeJS.Timeout; settle: (reply: FeedParseReply) => void };
}

interface Pending {
  job: FeedParseJob;
  settle: (reply: FeedParseReply) => void;
}

/**
 * Worker threads with a time budget per document. A document over budget (or one that crashes or
 * exhausts its worker) is rejected as quarantined and its worker replaced; the poller's backoff
 * decides when the feed is tried again.
 */
export function createFeedParser(deps: FeedParserDeps = {}): FeedParser {
  const budgetMs = deps.budgetMs ?? DEFAULT_BUDGET_MS;
  const size = Math.max(1, deps.size ?? 1);
  const caps = deps.caps ?? DEFAULT_FEED_CAPS;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;
  let bootFailures = 0;

  const spawn = (): Slot => {
    const resourceLimits = { maxOldGenerationSizeMb: deps.maxHeapMb ?? 512 };
    const worker = startModuleWorker(import.meta.url, 'feed-parse-worker', { resourceLimits });
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: FeedParseReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        bootFailures = 0;
      } else if (slot.job?.id === message.id) {
        const { timer, settle } = slot.job;
        clearTimeout(timer);
        slot.job = undefined;
        settle(message);
      }
      pump();
    });
    const lost = (why: string): void => {
      const index = slots.indexOf(slot);
      if (index < 0) return;
      slots.splice(index, 1);
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        clearTimeout(job.timer);
        job.settle({ id: job.id, ok: false, code: 'bad_input', message: `Quarantined: ${why}` });
      } else if (!slot.ready && ++bootFailures >= 3) {
        // A worker that cannot even start is not the document's fault; fail what waits, retry on the next call.
        bootFailures = 0;
        for (const pending of queue.splice(0))
          pending.settle({
            id: pending.job.id,
            ok: false,
            code: 'internal',
            message: `The feed parser cannot start: ${why}`,
          });
        return;
      }
      if (!closed && queue.length > 0) pump();
    };
    worker.on('error', (err) => lost(`the parser worker failed on this document (${err.message})`));
    worker.on('exit', (code) => lost(`the parser worker exited (code ${code})`));
    return slot;
  };

  const pump = (): void => {
    if (closed) return;
    while (slots.length < size) slots.push(spawn());
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const pending = queue.shift();
      if (!pending) return;
      const { job, settle } = pending;
      const timer = setTimeout(() => {
        slot.job = undefined;
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        void slot.worker.terminate();
        settle({
          id: job.id,
          ok: false,
          code: 'bad_input',
          message: `Quarantined: parsing took longer than ${budgetMs} ms`,
        });
        pump();
      }, budgetMs);
      timer.unref();
      slot.job = { id: job.id, timer, settle };
      slot.worker.postMessage(job);
    }
  };

  return {
    prepare(bytes, options) {
      if (closed) return Promise.reject(new NewsdeskError('internal', 'The feed parser is closed'));
      const job: FeedParseJob = {
        id: nextId++,
        bytes,
        url: options.url,
        caps,
        ...(options.contentType ? { contentType: options.contentType } : {}),
      };
      return new Promise<PreparedFeed>((resolve, reject) => {
        queue.push({
          job,
          settle: (reply) => (reply.ok ? resolve(reply.feed) : reject(new NewsdeskError(reply.code, reply.message))),
        });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0))
        pending.settle({ id: pending.job.id, ok: false, code: 'internal', message: 'The feed parser is closed' });
      const workers = slots.splice(0).map((slot) => slot.worker);
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
