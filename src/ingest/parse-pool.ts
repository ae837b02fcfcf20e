import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ArticleDraft } from '../domain/article.js';
import type { ArticleInput } from '../store/ports.js';
import { startModuleWorker } from './module-worker.js';

/** An article file to parse and enrich. */
export interface FileJob {
  kind: 'file';
  path: string;
  bytes: Uint8Array;
  timeZone: string;
}

/** A feed item already parsed into a draft, to enrich (summary, sources) with its feed's title and link. */
export interface DraftJob {
  kind: 'draft';
  draft: ArticleDraft;
  feed?: { title?: string; link?: string };
}

export type ParseJob = (FileJob | DraftJob) & { id: number };

export type ParseOutcome =
  | { id: number; ok: true; input: ArticleInput }
  | { id: number; ok: false; reason: string; expected: boolean };

export interface ParsePool {
  /** Resolves (never rejects) with the enriched input or the reason there is none. */
  parse(job: Omit<FileJob, 'kind'> | DraftJob): Promise<ParseOutcome>;
  close(): Promise<void>;
}

export interface ParsePoolOptions {
  /** Worker threads. */
  size?: number;
  /**
   * Wall time a worker may go without answering while it has work; the job it is on is then given
   * up and the worker replaced (nothing else interrupts a running parse). Unset: no limit.
   */
  budgetMs?: number;
}

type Waiter = { job: ParseJob; resolve: (outcome: ParseOutcome) => void };
interface Slot {
  worker: Worker;
  ready: boolean;
  /** Posted and not answered yet, oldest first: a worker answers in the order it was given jobs. */
  outstanding: Waiter[];
  timer?: NodeJS.Timeout;
  /** Whether the worker keeps the process alive (it does while it has work). */
  referenced: boolean;
}

/** A worker that dies this many times in a row before it is ready is not a document's fault. */
const MAX_BOOT_FAILURES = 3;

/**
 * Worker threads for the CPU half of ingest (parse, summarise, attribute), so large documents never
 * hold the event loop. A job that runs over the budget or takes its worker down is answered with the
 * reason, and the jobs queued behind it go to a replacement worker.
 */
export function createParsePool(options: ParsePoolOptions | number = {}): ParsePool {
  const { size: wanted, budgetMs } = typeof options === 'number' ? { size: options } : options;
  const size = Math.max(1, wanted ?? Math.min(4, availableParallelism()));
  let next = 0;
  let closed = false;
  let bootFailures = 0;

  const fail = (waiter: Waiter, reason: string) =>
    waiter.resolve({ id: waiter.job.id, ok: false, reason, expected: false });

  /** Restarts the budget of the job a worker is now on; an idle worker does not hold the process. */
  const watch = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    // Only on a change: a bulk ingest answers thousands of jobs, and the worker stays busy throughout.
    const busy = slot.outstanding.length > 0;
    if (busy !== slot.referenced) {
      slot.referenced = busy;
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
    if (!busy || budgetMs === undefined || !slot.ready) return;
    slot.timer = setTimeout(() => lost(slot, `parsing took longer than ${budgetMs} ms`), budgetMs);
  };

  const spawn = (): Slot => {
    const slot: Slot = {
      worker: startModuleWorker(import.meta.url, 'parse-worker'),
      ready: false,
      outstanding: [],
      referenced: true,
    };
    slot.worker.on('message', (message: ParseOutcome | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        bootFailures = 0;
      } else if (slot.outstanding[0]?.job.id === message.id) {
        slot.outstanding.shift()!.resolve(message);
      }
      watch(slot);
    });
    slot.worker.on('error', (err) => lost(slot, `the parser worker failed (${err.message.slice(0, 120)})`));
    slot.worker.on('exit', (code) => lost(slot, `the parser worker exited with code ${code}`));
    return slot;
  };

  /** The worker is gone (or given up): its current job gets the reason, the rest a new worker. */
  const lost = (slot: Slot, reason: string) => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    slots[index] = undefined;
    const waiting = slot.outstanding.splice(0);
    if (closed) {
      for (const waiter of waiting) fail(waiter, 'the parser is shut down');
      return;
    }
    if (!slot.ready && ++bootFailures >= MAX_BOOT_FAILURES) {
      // Not started again until the next job, so a worker that cannot boot does not spin.
      bootFailures = 0;
      for (const waiter of waiting) fail(waiter, `the parser worker cannot start: ${reason}`);
      return;
    }
    // Before it was ready the worker had not begun anything: no job is to blame.
    const blamed = slot.ready ? waiting.shift() : undefined;
    if (blamed) fail(blamed, reason);
    if (waiting.length === 0) return;
    const replacement = (slots[index] = spawn());
    for (const waiter of waiting) post(replacement, waiter);
    watch(replacement);
  };

  const post = (slot: Slot, waiter: Waiter) => {
    slot.outstanding.push(waiter);
    slot.worker.postMessage(waiter.job);
  };

  // Started on first use, so a pool nobody sends work to costs no thread.
  const slots: (Slot | undefined)[] = Array.from({ length: size }, () => undefined);
  const load = (slot: Slot | undefined) => slot?.outstanding.length ?? 0;

  return {
    parse(given) {
      const job: ParseJob = 'kind' in given ? { ...given, id: next++ } : { ...given, kind: 'file', id: next++ };
      if (closed) return Promise.resolve({ id: job.id, ok: false, reason: 'the parser is shut down', expected: false });
      return new Promise((resolve) => {
        // The least busy worker, so one slow document does not hold up the files dealt behind it.
        let index = 0;
        for (let candidate = 1; candidate < slots.length; candidate++) {
          if (load(slots[candidate]) < load(slots[index])) index = candidate;
        }
        const slot = (slots[index] ??= spawn());
        post(slot, { job, resolve });
        if (slot.outstanding.length === 1) watch(slot);
      });
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.splice(0).map(async (slot) => {
          if (!slot) return;
          clearTimeout(slot.timer);
          slot.worker.removeAllListeners();
          for (const waiter of slot.outstanding.splice(0)) fail(waiter, 'the parser is shut down');
          await slot.worker.terminate();
        }),
      );
    },
  };
}
