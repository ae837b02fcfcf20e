import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { ExtractedArticle } from './extract-article.js';

export interface ExtractJob {
  id: number;
  html: string;
  url?: string;
}

export type ExtractOutcome =
  | { id: number; ok: true; article: ExtractedArticle }
  | { id: number; ok: false; reason: string };

export interface ExtractPool {
  /** Extracts in a worker; resolves (never rejects) with the article or a reason it could not. */
  extract(html: string, url?: string): Promise<ExtractOutcome>;
  close(): Promise<void>;
}

export interface ExtractPoolOptions {
  /** Worker threads; extraction is CPU-bound, one is plenty for a feed poller. */
  size?: number;
  /** A page still running after this long is abandoned and its worker replaced. */
  budgetMs?: number;
  /** Longer HTML is refused before it is posted to a worker. */
  maxHtmlChars?: number;
}

export const TOO_SLOW = 'extraction took too long';

/**
 * Worker threads for page extraction with a per-page time budget. A page over budget resolves with
 * `TOO_SLOW`, and its worker is terminated and replaced: a hung parse cannot be interrupted any other way.
 */
export function createExtractPool(options: ExtractPoolOptions = {}): ExtractPool {
  const size = Math.max(1, options.size ?? 1);
  const budgetMs = options.budgetMs ?? 5_000;
  const maxHtmlChars = options.maxHtmlChars ?? 3_000_000;
  type Waiter = { job: ExtractJob; resolve: (outcome: ExtractOutcome) => void };
  type Slot = { worker: Worker; ready: boolean; busy?: Waiter & { timer: NodeJS.Timeout } };
  const queue: Waiter[] = [];
  let next = 0;
  let closed = false;

  const finish = (slot: Slot, outcome: ExtractOutcome) => {
    const busy = slot.busy;
    if (!busy) return;
    clearTimeout(busy.timer);
    slot.busy = undefined;
    busy.resolve(outcome);
    pump();
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(), ready: false };
    slot.worker.on('message', (message: ExtractOutcome | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        pump();
      } else if (slot.busy && message.id === slot.busy.job.id) finish(slot, message);
    });
    slot.worker.on('error', (err) => replace(slot, `the extractor failed (${err.message.slice(0, 120)})`));
    slot.worker.on('exit', () => replace(slot, 'the extractor stopped'));
    return slot;
  };

  const replace = (slot: Slot, reason: string) => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    const busy = slot.busy;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (closed) return;
    slots[index] = spawn();
    if (busy) {
      clearTimeout(busy.timer);
      busy.resolve({ id: busy.job.id, ok: false, reason });
    }
    pump();
  };

  const pump = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.busy || queue.length === 0) continue;
      const { job, resolve } = queue.shift()!;
      const timer = setTimeout(() => replace(slot, TOO_SLOW), budgetMs);
      slot.busy = { job, resolve, timer };
      slot.worker.postMessage(job);
    }
  };

  const slots: Slot[] = Array.from({ length: size }, spawn);

  return {
    extract(html, url) {
      const id = next++;
      if (closed) return Promise.resolve({ id, ok: false, reason: 'the extractor is shut down' });
      if (html.length > maxHtmlChars) return Promise.resolve({ id, ok: false, reason: 'the page is too large' });
      return new Promise((resolve) => {
        queue.push({ job: url === undefined ? { id, html } : { id, html, url }, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const { job, resolve } of queue.splice(0)) {
        resolve({ id: job.id, ok: false, reason: 'the extractor is shut down' });
      }
      await Promise.all(
        slots.map(async (slot) => {
          slot.worker.removeAllListeners();
          if (slot.busy) finish(slot, { id: slot.busy.job.id, ok: false, reason: 'the extractor is shut down' });
          await slot.worker.terminate();
        }),
      );
    },
  };
}

function startWorker(): Worker {
  return startModuleWorker(import.meta.url, 'extract-worker');
}
