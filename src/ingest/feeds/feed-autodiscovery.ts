import { Parser } from 'htmlparser2';

/** A feed a web page announces with `<link rel="alternate" type="…" href="…">`. */
export interface DiscoveredFeed {
  url: string;
  type: string;
  title?: string;
}

/** The feed types autodiscovery looks for: RSS, Atom and JSON Feed. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
/** A page announcing more than this is unusual; more would not fit in one reply anyway. */
const MAX_FEEDS = 10;

/**
 * The feeds an HTML page links to (RSS/Atom autodiscovery), absolute against the page URL or its
 * `<base href>`, deduplicated, in page order. Only http(s) links count. htmlparser2 is a linear-time
 * streaming parser, and the page is already capped at FEED_MAX_BYTES by the fetcher.
 */
export function discoverFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  const found: DiscoveredFeed[] = [];
  let base = pageUrl;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        if (name === 'base' && attributes.href && base === pageUrl) {
          const resolved = absolute(attributes.href, pageUrl);
          if (resolved) base = resolved;
          return;
        }
        if (name !== 'link') return;
        const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attributes.type ?? '').toLowerCase().split(';')[0]!.trim();
        if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !attributes.href) return;
        const url = absolute(attributes.href, base);
        if (!url || found.some((feed) => feed.url === url)) return;
        const title = attributes.title?.replace(/\s+/g, ' ').trim().slice(0, 200);
        found.push({ url, type, ...(title ? { title } : {}) });
        if (found.length >= MAX_FEEDS) done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
