/**
 * What an article's text is based on; shown with every summary and sources answer.
 * - `full`: main content extracted from the article's own page;
 * - `feed`: the feed item carried the full text (also every article file);
 * - `teaser`: only the feed's short text, with why the page was not used;
 * - `paywalled`: the page says it is behind a subscription wall.
 */
export type ArticleBasis =
  | { kind: 'full' }
  | { kind: 'feed' }
  | { kind: 'teaser'; reason: string }
  | { kind: 'paywalled'; reason?: string };
