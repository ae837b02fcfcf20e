import { parentPort } from 'node:worker_threads';
import { extractArticle } from './extract-article.js';
import type { ExtractJob, ExtractOutcome } from './extract-pool.js';

// Runs in a worker thread: one untrusted page at a time, so a slow page never blocks the bot's event loop.
parentPort?.on('message', (job: ExtractJob) => {
  let outcome: ExtractOutcome;
  try {
    outcome = { id: job.id, ok: true, article: extractArticle(job.html, job.url) };
  } catch (err) {
    const reason = `the page could not be parsed (${(err as Error).message.slice(0, 120)})`;
    outcome = { id: job.id, ok: false, reason };
  }
  parentPort?.postMessage(outcome);
});

// The pool starts a page's time budget only once the worker can run it (booting can take a while).
parentPort?.postMessage({ ready: true });
