import type { Article } from './article.js';
import { basisLine } from './basis.js';
import { NewsdeskError } from './errors.js';
import type { ArticleCard } from './reply.js';

/** How a subscription's posts look: today's card, one line, or only the template's own text. */
export type PostStyle = 'card' | 'compact' | 'text';
export const POST_STYLES: readonly PostStyle[] = ['card', 'compact', 'text'];

export const TEMPLATE_PLACEHOLDERS = [
  'title',
  'url',
  'author',
  'source',
  'tags',
  'summary',
  'published',
  'basis',
  'id',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Long enough for any sensible layout, short enough that a template can never be the thing that is too long. */
export const TEMPLATE_MAX_CHARS = 1_000;

/** One piece of a parsed template: literal text (the template's own markup) or a placeholder. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: TemplatePlaceholder; format?: string };

const PLACEHOLDER = /\{([a-z]+)(?::([^{}]{1,40}))?\}/g;

/** Parses `"{title} — {published:D MMM HH:mm}"`; an unknown placeholder is refused with the list of known ones. */
export function parseTemplate(template: string): TemplatePart[] {
  if (template.length > TEMPLATE_MAX_CHARS) {
    throw new NewsdeskError('bad_input', `A template is at most ${TEMPLATE_MAX_CHARS} characters.`);
  }
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as TemplatePlaceholder;
    if (!TEMPLATE_PLACEHOLDERS.includes(name)) {
      const known = TEMPLATE_PLACEHOLDERS.map((known) => `{${known}}`).join(' ');
      throw new NewsdeskError('bad_input', `Unknown placeholder {${match[1]}}. Known: ${known}.`);
    }
    if (match[2] !== undefined && name !== 'published') {
      throw new NewsdeskError('bad_input', `Only {published} takes a format, as in {published:D MMM YYYY}.`);
    }
    if (match.index > last) parts.push({ kind: 'text', text: template.slice(last, match.index) });
    parts.push({ kind: 'value', name, ...(match[2] !== undefined ? { format: match[2] } : {}) });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return parts;
}

/** Who to credit: the publisher line, else the feed, else nothing. */
export function sourceName(article: Pick<Article, 'publishers' | 'origin'>): string | undefined {
  if (article.publishers[0]) return article.publishers[0];
  if (article.origin.kind === 'feed') return article.origin.feedTitle;
  return undefined;
}

type DateParts = Record<string, string>;

function dateParts(date: Date, timeZone: string): DateParts {
  const format = (options: Intl.DateTimeFormatOptions) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone, ...options }).formatToParts(date).map((p) => [p.type, p.value]),
    );
  const numeric = format({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const names = format({ month: 'long', weekday: 'long' });
  return { ...numeric, monthName: names.month ?? '', weekdayName: names.weekday ?? '' };
}

const DATE_TOKEN = /YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|ss|A|Z|\[[^\]]*\]/g;

/** `YYYY-MM-DD HH:mm`, `D MMM YYYY`, `dddd h:mm A Z`, with `[literal]` text, in `timeZone`. */
export function formatDate(iso: string, format: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = dateParts(date, timeZone);
  const hour = Number(p.hour);
  const tokens: Record<string, string> = {
    YYYY: p.year ?? '',
    YY: (p.year ?? '').slice(-2),
    MMMM: p.monthName ?? '',
    MMM: (p.monthName ?? '').slice(0, 3),
    MM: p.month ?? '',
    M: String(Number(p.month)),
    DD: p.day ?? '',
    D: String(Number(p.day)),
    dddd: p.weekdayName ?? '',
    ddd: (p.weekdayName ?? '').slice(0, 3),
    HH: p.hour ?? '',
    H: String(hour),
    hh: String(hour % 12 || 12).padStart(2, '0'),
    h: String(hour % 12 || 12),
    mm: p.minute ?? '',
    ss: p.second ?? '',
    A: hour < 12 ? 'AM' : 'PM',
    Z: p.timeZoneName ?? '',
  };
  return format.replace(DATE_TOKEN, (token) => (token.startsWith('[') ? token.slice(1, -1) : (tokens[token] ?? token)));
}

/** Plain-text values of every placeholder for one article; renderers escape them for their platform. */
export function templateValues(article: Article, timeZone = 'UTC'): Record<TemplatePlaceholder, string> {
  return {
    title: article.title,
    url: article.url ?? '',
    author: article.author ?? '',
    source: sourceName(article) ?? '',
    tags: article.tags.join(', '),
    summary: article.summary.sentences.join(' '),
    published: article.published ? formatDate(article.published, 'D MMM YYYY HH:mm Z', timeZone) : '',
    basis: basisLine(article.basis, article.origin),
    id: article.id,
  };
}

/** What a template is filled from: the plain values and the ISO date `{published:<format>}` formats. */
export interface TemplateSource {
  values: Record<TemplatePlaceholder, string>;
  published?: string;
}

export interface FillOptions {
  timeZone?: string;
  escape: (text: string) => string;
  cap: (text: string) => string;
}

/**
 * Fills a parsed template. `escape` makes an article's value inert on the target platform, so that only the
 * template's own markup renders; `cap` bounds each value (applied before escaping, at a word).
 */
export function fillTemplate(parts: TemplatePart[], article: Article, options: FillOptions): string {
  const timeZone = options.timeZone ?? 'UTC';
  return fillFromSource(parts, { values: templateValues(article, timeZone), published: article.published }, options);
}

/** The same as fillTemplate, from values computed earlier (a reply carries them to the renderer). */
export function fillFromSource(parts: TemplatePart[], source: TemplateSource, options: FillOptions): string {
  const timeZone = options.timeZone ?? 'UTC';
  return parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const raw =
        part.name === 'published' && part.format !== undefined && source.published
          ? formatDate(source.published, part.format, timeZone)
          : source.values[part.name];
      return options.escape(options.cap(raw));
    })
    .join('');
}

/** A card's placeholder values when it carries none of its own (a post without a subscription template). */
export function cardTemplateValues(card: ArticleCard): Record<TemplatePlaceholder, string> {
  return {
    title: card.title,
    url: card.url ?? '',
    author: card.author ?? '',
    source: card.sourceName ?? '',
    tags: (card.tags ?? []).join(', '),
    summary: card.description ?? '',
    published: card.published ?? '',
    basis: '',
    id: card.id,
  };
}
