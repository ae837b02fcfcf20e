/** One entry of a feed, normalised across RSS, Atom and JSON Feed. Text fields are clean text. */
export interface FeedItem {
  /** RSS guid, Atom id or JSON Feed id, verbatim (trimmed). */
  guid?: string;
  title?: string;
  /** Absolute URL of the item's page. */
  link?: string;
  /** Clean text of the description / summary. */
  summary?: string;
  /** The fullest HTML body found (content:encoded, Atom content, content_html), URLs made absolute. */
  contentHtml?: string;
  author?: string;
  /** ISO 8601 instants. */
  published?: string;
  updated?: string;
  categories: string[];
  enclosures: FeedEnclosure[];
  image?: string;
}

export interface FeedEnclosure {
  url: string;
  type?: string;
  length?: number;
}

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface ParsedFeed {
  format: FeedFormat;
  /** e.g. `2.0`, `0.91`, `1.0` (RSS 1.0 / RDF), `0.3`, `1.1`. */
  version: string;
  title: string;
  /** The site's home page (absolute), when the feed names one. */
  link?: string;
  /** The feed's own URL as declared (rel=self, feed_url), absolute. */
  self?: string;
  description?: string;
  language?: string;
  image?: string;
  updated?: string;
  /** RSS `<ttl>` in minutes, when present and sane. */
  ttlMinutes?: number;
  items: FeedItem[];
}

export interface ParseFeedOptions {
  /** Where the bytes came from: the base for relative URLs. */
  url?: string;
  /** The HTTP Content-Type header, for its charset and to spot HTML pages. */
  contentType?: string;
}
