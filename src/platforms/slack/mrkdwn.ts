/**
 * Text helpers for Slack mrkdwn. Everything that comes from an article is plain text and goes
 * through `escapeMrkdwn` before it meets any markup we build ourselves.
 */

const WORD_JOINER = '\u2060';

/**
 * Slack only treats `&`, `<` and `>` as control characters; escaping them makes `<!channel>`,
 * `<!here>`, `<@U…>` and `<http://evil|innocent>` impossible to produce from article text.
 * `@channel`, `@here` and `@everyone` written out are inert without `link_names`, but older
 * clients auto-link them when `verbatim` is off, so a word joiner after the `@` breaks them too.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, `@${WORD_JOINER}$1`);
}

/**
 * For `plain_text` objects, which Slack never parses for mentions or links: `<` stays literal
 * (escaping it would show `&lt;`), but written-out broadcast words are broken all the same.
 */
export function breakBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, `@${WORD_JOINER}$1`);
}

/**
 * A link we build: `<url|title>`. Only http(s) URLs become links (no `javascript:` or
 * `slack://`); `|` and `>` can never occur in the label, and `<`/`>`/`|` never in the URL.
 */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const safeLabel = escapeMrkdwn(label.replace(/[|>]/g, ' ').replace(/\s+/g, ' ').trim());
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return safeLabel;
  return `<${url.replace(/&/g, '&amp;')}|${safeLabel || url.replace(/&/g, '&amp;')}>`;
}

const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` UTF-16 units (Slack counts characters; UTF-16 units are never
 * fewer). Prefers the end of a sentence, then a word boundary, and never cuts inside an
 * `&amp;`-style escape, a `<…>` link we built, or a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const budget = max - ELLIPSIS.length;
  let cut = safeCut(text, budget);

  const window = text.slice(0, cut);
  const sentenceEnd = lastSentenceEnd(window);
  if (sentenceEnd >= budget * 0.6) return window.slice(0, sentenceEnd).trimEnd();

  const space = window.search(/\s\S*$/);
  if (space >= budget * 0.5) cut = space;
  return `${window.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/** Moves a cut position left so it does not split an escape, a link or a surrogate pair. */
function safeCut(text: string, position: number): number {
  let cut = position;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1 && amp > cut - 6) {
    const semi = text.indexOf(';', amp);
    if (semi >= cut && semi - amp <= 5) cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open !== -1 && text.lastIndexOf('>', cut - 1) < open) cut = open;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(cut, 0);
}

/** Index just after the last `.`, `!` or `?` (optionally closed by a quote) that ends a sentence. */
function lastSentenceEnd(text: string): number {
  const pattern = /[.!?…]["'”’)]?(?=\s)/g;
  let end = -1;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    end = match.index + match[0].length;
  }
  // A window that ends exactly on a sentence end counts too.
  if (/[.!?…]["'”’)]?$/.test(text)) end = text.length;
  return end;
}

/** Plain text for `plain_text` objects: no escaping needed, only the length limit. */
export function plain(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return truncate(oneLine, max);
}

/** `2024-05-01T14:30:00Z` → a Slack date token that shows in the reader's own time zone. */
export function slackDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const fallback = new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
