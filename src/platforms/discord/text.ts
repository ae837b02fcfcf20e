/**
 * Text helpers for Discord: escaping article text and cutting it to Discord's limits.
 *
 * Lengths are measured in UTF-16 code units (`string.length`). Discord counts characters
 * (code points), which is never more than the UTF-16 length, so staying under a limit here
 * always stays under Discord's.
 */

const ELLIPSIS = '…';
const ZWSP = '\u200b';

/**
 * Characters that Discord markdown gives a meaning to anywhere in a line. Discord drops the
 * backslash before any escaped punctuation, so the escapes never show.
 */
const INLINE_MARKDOWN = /[\\*_~`|[\]<]/g;
/** Headings, quotes, lists and subtext only mean something at the start of a line. */
const LINE_START_MARKDOWN = /^([ \t]*)(#|>|-|\d+\.(?=\s))/gm;

/** Escape Discord markdown and defuse mentions in article text. */
export function escapeMarkdown(text: string): string {
  const inline = text.replace(INLINE_MARKDOWN, (char) => `\\${char}`);
  return defuseMentions(
    inline.replace(LINE_START_MARKDOWN, (_all, indent: string, mark: string) => `${indent}\\${mark}`),
  );
}

/**
 * `@everyone` and `@here` still render as highlighted mentions even when allowed_mentions blocks
 * the ping; a zero-width space after the @ makes them plain text. `<@id>`, `<@&id>` and `<#id>`
 * lose their meaning once `<` is escaped.
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`);
}

/** Escape text that is put inside an inline code span: only backticks matter there. */
export function inlineCode(text: string): string {
  const clean = text.replace(/`/g, 'ˋ');
  return `\`${clean}\``;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest link we build: a 256-character title and a 2,048-character URL, with room to spare. */
const LINK_ROOM = 2_400;

/**
 * Markdown links `[text](url)` whose `[` is not escaped; a cut must never fall inside one. One
 * linear pass: every `[` before the same first unescaped `]` shares that `]`, so a failed
 * attempt skips past it instead of rescanning (the regex version was quadratic on `[[[[…`).
 */
function linkSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let from = 0;
  while (from < text.length) {
    const start = text.indexOf('[', from);
    if (start < 0) break;
    let close = start + 1;
    while (close < text.length && text[close] !== ']') close += text[close] === '\\' ? 2 : 1;
    if (close >= text.length) break;
    const end = text[close + 1] === '(' ? urlEnd(text, close + 2) : -1;
    if (end < 0) {
      from = close + 1;
      continue;
    }
    let slashes = 0;
    for (let i = start - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 0) spans.push({ start, end });
    from = end;
  }
  return spans;
}

/** Index after the `)` closing a link URL that starts at `from`, or -1. Bounded by LINK_ROOM. */
function urlEnd(text: string, from: number): number {
  const stop = Math.min(text.length, from + LINK_ROOM);
  for (let i = from; i < stop; i++) {
    const char = text[i]!;
    if (char === ')') return i + 1;
    if (char === '\\') i++;
    else if (/\s/.test(char)) return -1;
  }
  return -1;
}

/** The largest grapheme boundary at or below `limit`. */
function graphemeBoundary(text: string, limit: number): number {
  let boundary = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    const end = index + segment.length;
    if (end > limit) break;
    boundary = end;
  }
  return boundary;
}

/**
 * Cut `text` so that it is at most `max` long, adding an ellipsis when anything was removed.
 * The cut never splits a surrogate pair or a grapheme cluster, never lands inside a markdown
 * link (the whole link goes) and never leaves a dangling escape backslash. It prefers a word
 * boundary when one is close.
 */
export function truncate(whole: string, max: number): string {
  if (whole.length <= max) return whole;
  if (max <= 0) return '';
  // Only what is near the cut matters: a link that straddles it ends less than LINK_ROOM after it.
  const text = whole.slice(0, max + LINK_ROOM);
  if (max < ELLIPSIS.length + 1) return text.slice(0, graphemeBoundary(text, max));
  const links = linkSpans(text);
  const outsideLinks = (at: number): number => {
    for (const span of links) if (span.start < at && at < span.end) return span.start;
    return at;
  };
  let cut = outsideLinks(graphemeBoundary(text, max - ELLIPSIS.length));
  // Prefer a whole word if that costs little (a fifth of the room at most).
  const space = text.lastIndexOf(' ', cut);
  if (space > 0 && cut - space < Math.max(1, Math.floor(max / 5)) && text[cut] !== ' ') cut = outsideLinks(space);
  // A trailing odd run of backslashes would escape the ellipsis.
  let slashes = 0;
  for (let i = cut - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  if (slashes % 2 === 1) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}
