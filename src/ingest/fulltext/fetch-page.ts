import { isNewsdeskError } from '../../domain/errors.js';
import { decodeFeedBytes } from '../feeds/decode.js';
import type { FeedFetcher } from '../feeds/fetch-feed.js';

/** A fetched article page as text, or why it is not one; `retryable` failures back the host off. */
export type PageResult = { ok: true; url: string; html: string } | { ok: false; reason: string; retryable: boolean };

const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;
/** Where sites send readers they will not serve: sign-in, registration and subscription pages. */
const LOGIN_PATH =
  /\/(log-?in|sign-?in|signon|auth|sso|accounts?|register|registration|subscribe|subscription|paywall)(\/|\.|\?|$)/i;

/**
 * Fetches one article page with the project's guarded fetcher (SSRF guard, pinned address, size
 * cap, timeout, per-host queue) and turns every failure into a reason a reader can understand.
 */
export async function fetchArticlePage(fetcher: FeedFetcher, url: string): Promise<PageResult> {
  let result: Awaited<ReturnType<FeedFetcher['fetch']>>;
  try {
    result = await fetcher.fetch(url);
  } catch (err) {
    return failure(err);
  }
  if (result.status === 304) return { ok: false, reason: 'the page has not changed', retryable: false };
  if (result.url !== url && LOGIN_PATH.test(new URL(result.url).pathname)) {
    return { ok: false, reason: 'the page redirects to a login page', retryable: false };
  }
  const type = result.contentType;
  const head = result.body.subarray(0, 512).toString('latin1').trimStart();
  if (type ? !HTML_TYPE.test(type) : !head.startsWith('<')) {
    const named = type ? ` (${type.split(';')[0]!.trim().slice(0, 60)})` : '';
    return { ok: false, reason: `the link is not a web page${named}`, retryable: false };
  }
  return { ok: true, url: result.url, html: decodeFeedBytes(result.body, type).text };
}

function failure(err: unknown): PageResult {
  if (!isNewsdeskError(err)) return { ok: false, reason: 'the page could not be read', retryable: true };
  const status = err.details.status;
  if (typeof status === 'number') {
    const retryable = status === 403 || status === 429 || status >= 500;
    return { ok: false, reason: `the page could not be read (${status})`, retryable };
  }
  if (err.code === 'forbidden') return { ok: false, reason: 'the page is on a blocked address', retryable: false };
  if (/^Timed out/.test(err.message)) return { ok: false, reason: 'the page took too long to answer', retryable: true };
  if (/larger than/.test(err.message)) return { ok: false, reason: 'the page is too large', retryable: false };
  if (/redirects/i.test(err.message)) {
    return { ok: false, reason: 'the page redirects too many times', retryable: false };
  }
  return { ok: false, reason: 'the page could not be read', retryable: true };
}
