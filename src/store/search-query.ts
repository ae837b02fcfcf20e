/**
 * User search text → terms both full-text engines can run, never a syntax error: words are runs
 * of letters and digits only, so nothing the user types reaches the engine as an operator.
 * Supported: words (all required), `"a phrase"`, `-word` / `-"a phrase"` (excluded), and `OR`
 * between two terms (either). An unbalanced quote runs to the end of the text.
 */
export interface SearchTerm {
  /** One word, or the words of a phrase in order. */
  words: string[];
}

export interface ParsedSearch {
  /** Every group must match; a group matches when any of its terms does. */
  all: SearchTerm[][];
  /** No term here may match. */
  none: SearchTerm[];
}

const MAX_TERMS = 16;
const MAX_TEXT = 1_000;

type Token = { kind: 'or' } | { kind: 'term'; term: SearchTerm; negated: boolean };

function tokens(text: string, fold: (text: string) => string[]): Token[] {
  const out: Token[] = [];
  const input = text.slice(0, MAX_TEXT);
  let at = 0;
  while (at < input.length) {
    while (at < input.length && /\s/.test(input[at]!)) at++;
    if (at >= input.length) break;
    let negated = false;
    if (input[at] === '-' && at + 1 < input.length && !/\s/.test(input[at + 1]!)) {
      negated = true;
      at++;
    }
    let raw: string;
    if (input[at] === '"') {
      const close = input.indexOf('"', at + 1);
      const end = close === -1 ? input.length : close;
      raw = input.slice(at + 1, end);
      at = end + 1;
    } else {
      const start = at;
      while (at < input.length && !/[\s"]/.test(input[at]!)) at++;
      raw = input.slice(start, at);
      if (!negated && raw === 'OR') {
        out.push({ kind: 'or' });
        continue;
      }
    }
    const words = fold(raw);
    if (words.length > 0) out.push({ kind: 'term', term: { words }, negated });
  }
  return out;
}

/** Undefined when nothing positive is left to search for (empty, only operators, only exclusions). */
export function parseSearch(text: string, fold: (text: string) => string[]): ParsedSearch | undefined {
  const all: SearchTerm[][] = [];
  const none: SearchTerm[] = [];
  let joinNext = false;
  let count = 0;
  for (const token of tokens(text, fold)) {
    if (token.kind === 'or') {
      joinNext = all.length > 0;
      continue;
    }
    if (count++ >= MAX_TERMS) break;
    if (token.negated) none.push(token.term);
    else if (joinNext) all[all.length - 1]!.push(token.term);
    else all.push([token.term]);
    joinNext = false;
  }
  return all.length > 0 ? { all, none } : undefined;
}

/** Letters and digits, NFKC: the FTS5 unicode61 tokenizer does its own case and accent folding. */
export function ftsWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** Lower-case, accent-free words: what PostgreSQL's 'simple' configuration is fed, documents and queries alike. */
export function foldedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** An FTS5 MATCH expression. */
export function toFts5(query: ParsedSearch): string {
  const term = (t: SearchTerm) => `"${t.words.join(' ')}"`;
  const group = (terms: SearchTerm[]) => (terms.length === 1 ? term(terms[0]!) : `(${terms.map(term).join(' OR ')})`);
  const positive = query.all.map(group).join(' AND ');
  return query.none.length === 0 ? positive : `(${positive})${query.none.map((t) => ` NOT ${term(t)}`).join('')}`;
}

/** A to_tsquery('simple', …) text. */
export function toTsQuery(query: ParsedSearch): string {
  const term = (t: SearchTerm) =>
    t.words.length === 1 ? `'${t.words[0]}'` : `(${t.words.map((w) => `'${w}'`).join(' <-> ')})`;
  const group = (terms: SearchTerm[]) => (terms.length === 1 ? term(terms[0]!) : `(${terms.map(term).join(' | ')})`);
  return [...query.all.map(group), ...query.none.map((t) => `!${term(t)}`)].join(' & ');
}
