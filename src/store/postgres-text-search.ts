/**
 * Full-text search on PostgreSQL behaving like the SQLite FTS5 table (unicode61, remove_diacritics):
 * words are runs of letters and digits, compared without case or accents. JavaScript does the
 * splitting and folding for both documents and queries, so the 'simple' configuration only ever sees
 * plain lower-case words and the result does not depend on the database's locale or extensions.
 */

// A tsvector holds at most 1 MB; a body this long is far past any article, and its tail is not indexed.
const MAX_INDEXED_CHARS = 300_000;
const MAX_QUERY_WORDS = 16;

/** Lower-case, accent-free words of `text`. */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** What to feed `to_tsvector('simple', …)`: the words, space-separated. */
export function searchDocument(text: string): string {
  return searchWords(text.slice(0, MAX_INDEXED_CHARS)).join(' ');
}

/**
 * User words → a `to_tsquery('simple', …)` text that cannot be a syntax error: only letters and
 * digits survive, each word is quoted, all are required. `prefixLast` lets the word being typed
 * match as a prefix; `weight` restricts matches to one part ('A' is the title).
 */
export function toTsQuery(text: string, options: { prefixLast?: boolean; weight?: 'A' } = {}): string | undefined {
  const words = searchWords(text).slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return undefined;
  return words
    .map((word, index) => {
      const prefix = options.prefixLast && index === words.length - 1 ? '*' : '';
      const flags = prefix || options.weight ? `:${prefix}${options.weight ?? ''}` : '';
      return `'${word}'${flags}`;
    })
    .join(' & ');
}
