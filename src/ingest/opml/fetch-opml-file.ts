import { isIP } from 'node:net';
import { NewsdeskError, isNewsdeskError } from '../../domain/errors.js';
import { decodeFeedBytes } from '../feeds/decode.js';
import { createFeedFetcher } from '../feeds/fetch-feed.js';
import { isPublicAddress, type Resolver } from '../feeds/ssrf.js';
import { OPML_MAX_BYTES, parseOpml } from './parse-opml.js';

/** Downloads an OPML file a user attached in chat, from the one file host that platform uses. */
export interface OpmlFileFetcher {
  /** The document's text; throws `forbidden` off the host, `bad_input` when too large or not OPML. */
  fetch(url: string, name?: string): Promise<string>;
}

export interface OpmlFileFetcherOptions {
  /** The only place files may come from, e.g. `https://cdn.discordapp.com` (a path prefix counts too). */
  base: string;
  /** Sent with the request: Slack's private file URLs need the bot token as a bearer. */
  headers?: Record<string, string>;
  maxBytes?: number;
  timeoutMs?: number;
  version?: string;
  /** DNS, replaceable in tests. */
  resolve?: Resolver;
}

/** Content types an OPML file is served with; anything clearly binary or HTML is refused before parsing. */
const TEXTUAL =
  /^\s*(text\/(xml|x-opml|opml|plain)|application\/(xml|x-opml|opml\+xml|octet-stream)|binary\/octet-stream|[^;]*\+xml)\b/i;

function sameOrigin(url: URL, base: URL): boolean {
  if (url.protocol !== base.protocol || url.host !== base.host) return false;
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return base.pathname === '/' || url.pathname.startsWith(prefix);
}

/**
 * Attachment URLs are the chat platform's, not a feed's: they are fetched only from the configured
 * host (no redirects, so a token never leaves it), with the same guarded connect as feeds. The
 * host's own address is allowed when it is a literal (a test's 127.0.0.1); a named host must
 * still resolve to public addresses.
 */
export function createOpmlFileFetcher(options: OpmlFileFetcherOptions): OpmlFileFetcher {
  const base = new URL(options.base);
  const maxBytes = options.maxBytes ?? OPML_MAX_BYTES;
  const literal = base.hostname.replace(/^\[|\]$/g, '');
  const trusted = isIP(literal) !== 0 ? literal : undefined;
  const fetcher = createFeedFetcher({
    allowPrivate: false,
    addressPolicy: (address) => address === trusted || isPublicAddress(address),
    maxBytes,
    maxRedirects: 0,
    minHostIntervalMs: 0,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });

  return {
    async fetch(raw, name = 'the file') {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new NewsdeskError('bad_input', `${name} has no usable download link`);
      }
      if (!sameOrigin(url, base)) {
        throw new NewsdeskError('forbidden', `Refused: ${name} is not on ${base.origin}`, { url: url.origin });
      }
      let answer: Awaited<ReturnType<typeof fetcher.fetch>>;
      try {
        answer = await fetcher.fetch(url.href);
      } catch (err) {
        if (isNewsdeskError(err, 'bad_input') && err.details.maxBytes !== undefined)
          throw new NewsdeskError('bad_input', `${name} is larger than ${Math.round(maxBytes / 1024)} KB`, {
            maxBytes,
          });
        throw err;
      }
      if (answer.status !== 200) throw new NewsdeskError('transient', `${name} could not be downloaded`);
      if (answer.contentType && !TEXTUAL.test(answer.contentType.slice(0, 200)))
        throw new NewsdeskError('bad_input', `${name} is not an OPML file (it is ${answer.contentType.split(';')[0]})`);
      const { text } = decodeFeedBytes(answer.body, answer.contentType);
      try {
        parseOpml(text);
      } catch (err) {
        throw new NewsdeskError('bad_input', `${name} is not an OPML file: ${(err as Error).message}`);
      }
      return text;
    },
  };
}
