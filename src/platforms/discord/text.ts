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
  return defuseMentions(inline.replace(LINE_START_MARKDOWN, (_all, indent: string, mark: string) => `${indent}\\${mark}`));
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

/** Markdown links `[text](url)` whose `[` is not escaped; a cut must never fall inside one. */
function linkSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const pattern = /\[(?:\\.|[^\]\\])*\]\((?:\\.|[^)\\\s])*\)/g;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    let slashes = 0;
    for (let i = start - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 0) spans.push({ start, end: start + match[0].length });
  }
  return spans;
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
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
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
