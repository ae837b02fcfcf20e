import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { NewsdeskError, isNewsdeskError } from '../../domain/errors.js';
import { createHostQueue } from './host-queue.js';
import {
  addressPolicy,
  checkLiteralHost,
  createGuardedLookup,
  parseFeedUrl,
  type AddressPolicy,
  type Resolver,
} from './ssrf.js';

export interface ConditionalHeaders {
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { status: 304; url: string; maxAgeSeconds?: number }
  | {
      status: 200;
      url: string;
      body: Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      maxAgeSeconds?: number;
    };

export interface FeedFetcherOptions {
  allowPrivate: boolean;
  /** Largest body accepted, after decompression. */
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** newsdesk's version, for the User-Agent. */
  version?: string;
  minHostIntervalMs?: number;
  /** DNS, replaceable in tests. */
  resolve?: Resolver;
  /**
   * Overrides which addresses count as reachable when `allowPrivate` is false. Tests use it to
   * treat one loopback address as "the internet"; the chat file fetchers to allow exactly their configured host.
   */
  addressPolicy?: AddressPolicy;
  /** Sent with every request (a file host's bearer token); only for a fetcher kept to that one host. */
  headers?: Record<string, string>;
}

export interface FeedFetcher {
  fetch(url: string, conditional?: ConditionalHeaders): Promise<FetchResult>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createFeedFetcher(options: FeedFetcherOptions): FeedFetcher {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = `newsdesk/${options.version ?? '0.1.0'} (+https://github.com/newsdesk)`;
  const isAllowed = options.allowPrivate ? addressPolicy(true) : (options.addressPolicy ?? addressPolicy(false));
  const lookup = createGuardedLookup({ isAllowed, ...(options.resolve ? { resolve: options.resolve } : {}) });
  const queue = createHostQueue({ minIntervalMs: options.minHostIntervalMs ?? 1000 });

  /** One hop. Redirects are followed by the caller so that every hop is checked again. */
  function request(url: URL, conditional: ConditionalHeaders, signal: AbortSignal): Promise<IncomingMessage> {
    checkLiteralHost(url, isAllowed);
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept:
        'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      ...options.headers,
    };
    if (conditional.etag) headers['if-none-match'] = conditional.etag;
    if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      // agent: false — a pooled socket could belong to an address checked for another request.
      const req = client.request(url, { method: 'GET', headers, lookup, signal, agent: false }, resolve);
      req.on('error', reject);
      req.end();
    });
  }

  async function readBody(response: IncomingMessage, url: string): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw tooLarge(url, maxBytes);
    }
    const encoding = String(response.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    let stream: Readable = response;
    if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
    else if (encoding === 'br') stream = response.pipe(zlib.createBrotliDecompress());
    else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
    response.on('error', (err) => stream.destroy(err));
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        // Counted after decompression: a small gzip can expand into gigabytes.
        if (size > maxBytes) {
          response.destroy();
          stream.destroy();
          throw tooLarge(url, maxBytes);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (isNewsdeskError(err)) throw err;
      throw new NewsdeskError('transient', `Reading ${url} failed: ${(err as Error).message}`, {}, { cause: err });
    }
    return Buffer.concat(chunks);
  }

  type Hop = { redirect: URL } | { result: FetchResult };

  /** One request, body included, inside the host's queue slot. */
  async function hop(
    current: URL,
    start: string,
    conditional: ConditionalHeaders,
    signal: AbortSignal,
    redirectsLeft: number,
  ): Promise<Hop> {
    const response = await request(current, conditional, signal);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new NewsdeskError('bad_input', `${current.href} answered ${status} without a Location`);
      if (redirectsLeft <= 0)
        throw new NewsdeskError('bad_input', `Too many redirects (more than ${maxRedirects}) from ${start}`);
      return { redirect: parseFeedUrl(new URL(location, current).href) };
    }
    const maxAgeSeconds = maxAge(response.headers['cache-control']);
    const extra = maxAgeSeconds !== undefined ? { maxAgeSeconds } : {};
    if (status === 304) {
      response.resume();
      return { result: { status: 304, url: current.href, ...extra } };
    }
    if (status < 200 || status >= 300) {
      response.resume();
      const code = status === 429 || status >= 500 ? 'transient' : 'bad_input';
      throw new NewsdeskError(code, `${current.href} answered HTTP ${status}`, { status });
    }
    const body = await readBody(response, current.href);
    const result: FetchResult = { status: 200, url: current.href, body, ...extra };
    const contentType = response.headers['content-type'];
    if (contentType) result.contentType = contentType;
    const etag = response.headers.etag;
    if (etag) result.etag = etag;
    const lastModified = response.headers['last-modified'];
    if (lastModified) result.lastModified = lastModified;
    return { result };
  }

  async function fetchOnce(start: string, conditional: ConditionalHeaders, signal: AbortSignal): Promise<FetchResult> {
    let url = parseFeedUrl(start);
    for (let redirectsLeft = maxRedirects; ; redirectsLeft--) {
      const current = url;
      const step = await queue.run(current.host, () => hop(current, start, conditional, signal, redirectsLeft));
      if ('result' in step) return step.result;
      url = step.redirect;
    }
  }

  return {
    async fetch(url, conditional = {}) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        return await fetchOnce(url, conditional, controller.signal);
      } catch (err) {
        if (controller.signal.aborted)
          throw new NewsdeskError(
            'transient',
            `Timed out after ${timeoutMs / 1000} s fetching ${url}`,
            { url },
            { cause: err },
          );
        if (isNewsdeskError(err)) throw err;
        const cause = err as NodeJS.ErrnoException;
        throw new NewsdeskError(
          'transient',
          `Fetching ${url} failed: ${cause.code ?? cause.message}`,
          { url },
          { cause: err },
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function tooLarge(url: string, maxBytes: number): NewsdeskError {
  return new NewsdeskError('bad_input', `${url} is larger than the ${Math.round(maxBytes / 1024)} KB limit`, {
    maxBytes,
  });
}

function maxAge(cacheControl: string | undefined): number | undefined {
  const match = cacheControl && /(?:^|,)\s*max-age\s*=\s*"?(\d+)/i.exec(cacheControl);
  return match ? Number(match[1]) : undefined;
}
