import { parentPort } from 'node:worker_threads';
import { isNewsdeskError } from '../../domain/errors.js';
import type { FeedParseJob, FeedParseReply } from './feed-parser.js';
import { prepareFeed } from './prepare-feed.js';

// Runs in a worker thread: parse, cap and draft one feed document, so the main loop never waits on it.
parentPort?.on('message', (job: FeedParseJob) => {
  let reply: FeedParseReply;
  try {
    const options = { url: job.url, ...(job.contentType ? { contentType: job.contentType } : {}) };
    reply = { id: job.id, ok: true, feed: prepareFeed(job.bytes, options, job.caps) };
  } catch (err) {
    reply = isNewsdeskError(err)
      ? { id: job.id, ok: false, code: err.code, message: err.message }
      : {
          id: job.id,
          ok: false,
          code: 'bad_input',
          message: `Not a valid feed: the parser failed (${(err as Error).message})`,
        };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage({ ready: true });
