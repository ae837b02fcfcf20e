import { isNewsdeskError } from '../../domain/errors.js';
import { decodeFeedBytes } from '../feeds/decode.js';
import type { FeedFetcher } from '../feeds/fetch-feed.js';

/**
 * A fetched article page as text, or why it is not one. `retryable` failures back the host off;
 * `transient` ones (timeout, 429, 5xx, a dropped connection) are worth asking for again later; `code`
 * is the failure's short name, for metrics.
 */
export type PageResult =
  | { ok: true; url: string; html: string }
  | { ok: false; reason: string; retryable: boolean; transient: boolean; code: PageFailure };

export type PageFailure =
  | 'status_4xx'
  | 'status_429'
  | 'status_5xx'
  | 'timeout'
  | 'connection'
  | 'blocked'
  | 'too_large'
  | 'redirects'
  | 'login'
  | 'not_html'
  | 'not_modified';

const fail = (code: PageFailure, reason: string, retryable = false, transient = false): PageResult => ({
  ok: false,
  reason,
  retryable,
  transient,
  code,
});

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
  if (result.status === 304) return fail('not_modified', 'the page has not changed');
  if (result.url !== url && LOGIN_PATH.test(new URL(result.url).pathname)) {
    return fail('login', 'the page redirects to a login page');
  }
  const type = result.contentType;
  const head = result.body.subarray(0, 512).toString('latin1').trimStart();
  if (type ? !HTML_TYPE.test(type) : !head.startsWith('<')) {
    const named = type ? ` (${type.split(';')[0]!.trim().slice(0, 60)})` : '';
    return fail('not_html', `the link is not a web page${named}`);
  }
  return { ok: true, url: result.url, html: decodeFeedBytes(result.body, type).text };
}

function failure(err: unknown): PageResult {
  const unreadable = 'the page could not be read';
  if (!isNewsdeskError(err)) return fail('connection', unreadable, true, true);
  const status = err.details.status;
  if (typeof status === 'number') {
    const reason = `${unreadable} (${status})`;
    if (status === 429) return fail('status_429', reason, true, true);
    if (status >= 500) return fail('status_5xx', reason, true, true);
    // 403 backs the host off (a site that blocks us should not be asked again at once) but is not retried.
    return fail('status_4xx', reason, status === 403);
  }
  if (err.code === 'forbidden') return fail('blocked', 'the page is on a blocked address');
  if (/^Timed out/.test(err.message)) return fail('timeout', 'the page took too long to answer', true, true);
  if (/larger than/.test(err.message)) return fail('too_large', 'the page is too large');
  if (/redirects/i.test(err.message)) return fail('redirects', 'the page redirects too many times');
  return fail('connection', unreadable, true, true);
}
