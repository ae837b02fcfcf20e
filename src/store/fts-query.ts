/**
 * User words → an FTS5 query that cannot be a syntax error: every word becomes a quoted string,
 * all of them required. `prefixLast` lets the word being typed match as a prefix (autocomplete).
 */
export function toFtsQuery(text: string, options: { prefixLast?: boolean; column?: string } = {}): string | undefined {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 16);
  if (words.length === 0) return undefined;
  const terms = words.map((word, index) => {
    const quoted = `"${word.replace(/"/g, '""')}"`;
    return options.prefixLast && index === words.length - 1 ? `${quoted}*` : quoted;
  });
  const query = terms.join(' AND ');
  return options.column ? `${options.column} : (${query})` : query;
}
