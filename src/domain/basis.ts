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

/**
 * One short line saying what an answer is based on, the same on every platform:
 * "From the full article", "From the feed's teaser: the page could not be read (403)".
 * Articles stored before the basis was recorded have none and read as `feed`. An article file is
 * its own full text, so it says so rather than naming a feed it never came from.
 */
export function basisLine(basis: ArticleBasis | undefined, origin?: { kind: 'file' | 'feed' }): string {
  if (origin?.kind === 'file' && (basis === undefined || basis.kind === 'feed')) return 'From the article file';
  switch (basis?.kind ?? 'feed') {
    case 'full':
      return 'From the full article';
    case 'feed':
      return 'From the full text in the feed';
    case 'teaser': {
      const reason = basis?.kind === 'teaser' ? basis.reason.trim() : '';
      return reason ? `From the feed's teaser: ${reason}` : "From the feed's teaser";
    }
    case 'paywalled': {
      const reason = basis?.kind === 'paywalled' ? basis.reason?.trim() : undefined;
      return `From the feed's teaser: ${reason || 'the article is behind a paywall'}`;
    }
    default:
      return 'From the full text in the feed';
  }
}
