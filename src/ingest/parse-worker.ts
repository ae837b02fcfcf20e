import { parentPort } from 'node:worker_threads';
import { isNewsdeskError } from '../domain/errors.js';
import { enrichDraft } from './enrich.js';
import { parseArticleFile } from './parse-article-file.js';
import type { ParseJob, ParseOutcome } from './parse-pool.js';

// Runs in a worker thread: the CPU half of ingest (parse, summarise, attribute) for one file.
parentPort?.on('message', (job: ParseJob) => {
  let outcome: ParseOutcome;
  try {
    outcome = { id: job.id, ok: true, input: enrichDraft(parseArticleFile(job)) };
  } catch (err) {
    outcome = {
      id: job.id,
      ok: false,
      reason: isNewsdeskError(err) ? err.message : `cannot parse file: ${(err as Error).message}`,
      expected: isNewsdeskError(err),
    };
  }
  parentPort?.postMessage(outcome);
});
