import { parseArticleDate } from './dates.js';

export interface Byline {
  author?: string;
  published?: string;
}

const BY = /^by\s*:?\s+(.+)$/i;

/**
 * `By Jane Doe`, `By: A | 18.07.2025, 15:55`, `By: A | July 18, 2025`, `By Jane Doe, 2025-07-18`.
 * Returns undefined when the line is not a byline.
 */
export function parseByline(line: string, timeZone: string): Byline | undefined {
  const match = BY.exec(line.trim());
  if (!match?.[1]) return undefined;
  const rest = match[1].trim();
  const pieces = rest.split('|').map((piece) => piece.trim());
  if (pieces.length > 1) {
    const author = pieces[0] || undefined;
    const published = parseArticleDate(pieces.slice(1).join(' '), timeZone);
    return { author, published };
  }
  // "By Jane Doe, July 18, 2025" or "By Jane Doe, 2025-07-18": the date is whatever parses after a comma.
  const comma = rest.indexOf(',');
  if (comma > 0) {
    const published = parseArticleDate(rest.slice(comma + 1), timeZone);
    if (published) return { author: rest.slice(0, comma).trim(), published };
  }
  // A byline is a name, not a sentence.
  if (rest.split(/\s+/).length > 8 || /[.!?]$/.test(rest)) return undefined;
  return { author: rest };
}

/** A line that is only a date (`Published: …`, `Date: …`, or the date itself). */
export function parseDateLine(line: string, timeZone: string): string | undefined {
  const value = line.replace(/^(published|updated|date)\s*:\s*/i, '');
  return parseArticleDate(value, timeZone);
}
