import { parentPort } from 'node:worker_threads';
import { isNewsdeskError } from '../domain/errors.js';
import { enrichDraft } from './enrich.js';
import { parseArticleFile } from './parse-article-file.js';
import type { ParseJob, ParseOutcome } from './parse-pool.js';

// Runs in a worker thread: the CPU half of ingest (parse, summarise, attribute) for one file or feed item.
parentPort?.on('message', (job: ParseJob) => {
  let outcome: ParseOutcome;
  try {
    const input = job.kind === 'draft' ? enrichDraft(job.draft, job.feed) : enrichDraft(parseArticleFile(job));
    outcome = { id: job.id, ok: true, input };
  } catch (err) {
    const what = job.kind === 'draft' ? 'cannot summarise feed item' : 'cannot parse file';
    outcome = {
      id: job.id,
      ok: false,
      reason: isNewsdeskError(err) ? err.message : `${what}: ${(err as Error).message}`,
      expected: isNewsdeskError(err),
    };
  }
  parentPort?.postMessage(outcome);
});

// The pool starts a job's time budget only once the worker can run it (booting under tsx takes a while).
parentPort?.postMessage({ ready: true });
