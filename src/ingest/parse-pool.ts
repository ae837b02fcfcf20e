import { availableParallelism } from 'node:os';
import { startModuleWorker } from './module-worker.js';
import type { ArticleInput } from '../store/ports.js';

export interface ParseJob {
  id: number;
  path: string;
  bytes: Uint8Array;
  timeZone: string;
}

export type ParseOutcome =
  | { id: number; ok: true; input: ArticleInput }
  | { id: number; ok: false; reason: string; expected: boolean };

export interface ParsePool {
  parse(job: Omit<ParseJob, 'id'>): Promise<ParseOutcome>;
  close(): Promise<void>;
}

/**
 * Worker threads for the CPU half of a bulk ingest, so a large folder uses every core. Started
 * for a big scan and closed after it; single files are parsed on the main thread.
 */
export function createParsePool(size = Math.max(1, Math.min(4, availableParallelism()))): ParsePool {
  const waiting = new Map<number, (outcome: ParseOutcome) => void>();
  let broken: string | undefined;
  const failAll = (reason: string) => {
    broken ??= reason;
    for (const [id, resolve] of waiting) resolve({ id, ok: false, reason, expected: false });
    waiting.clear();
  };
  const workers = Array.from({ length: size }, () => {
    const worker = startModuleWorker(import.meta.url, 'parse-worker');
    worker.on('message', (outcome: ParseOutcome) => {
      waiting.get(outcome.id)?.(outcome);
      waiting.delete(outcome.id);
    });
    worker.on('error', (err) => failAll(`parser worker failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!closing) failAll(`parser worker exited with code ${code}`);
    });
    return worker;
  });
  let next = 0;
  let closing = false;
  return {
    parse(job) {
      const id = next++;
      if (broken) return Promise.resolve({ id, ok: false, reason: broken, expected: false });
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        workers[id % workers.length]!.postMessage({ ...job, id });
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
