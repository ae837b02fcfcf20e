import type { ArticleSource } from '../domain/article.js';
import type { ArticleCard, Reply } from '../domain/reply.js';

/**
 * Stored article text can be megabytes (a 5 MB title is a valid feed). Every renderer first cuts a
 * reply down to what any platform could show, in one linear pass, so escaping, wrapping and the
 * platform's own careful truncation only ever see a few thousand characters.
 */
const MAX = {
  title: 1_000,
  meta: 300,
  url: 4_096,
  description: 8_000,
  text: 12_000,
  sentences: 30,
  sentence: 2_000,
  sources: 500,
  evidence: 5,
  evidenceText: 1_000,
} as const;

const ELLIPSIS = '…';

/**
 * At most `max` UTF-16 units (ellipsis included when cut). Prefers a word boundary in the last
 * tenth, and never leaves half a surrogate pair.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return '';
  let cut = max - ELLIPSIS.length;
  const space = text.lastIndexOf(' ', cut);
  if (space > 0 && cut - space <= Math.ceil(max / 10)) cut = space;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${ELLIPSIS}`;
}

const optional = (text: string | undefined, max: number) => (text === undefined ? undefined : clipText(text, max));

function boundCard(card: ArticleCard): ArticleCard {
  return {
    ...card,
    id: clipText(card.id, MAX.meta),
    title: clipText(card.title, MAX.title),
    url: card.url && card.url.length <= MAX.url ? card.url : undefined,
    sourceName: optional(card.sourceName, MAX.meta),
    author: optional(card.author, MAX.meta),
    description: optional(card.description, MAX.description),
    tags: card.tags?.slice(0, 20).map((tag) => clipText(tag, MAX.meta)),
    ...(card.template ? { template: boundTemplate(card.template) } : {}),
  };
}

function boundTemplate(template: NonNullable<ArticleCard['template']>): NonNullable<ArticleCard['template']> {
  const values = { ...template.values };
  for (const key of Object.keys(values) as (keyof typeof values)[])
    values[key] = clipText(values[key], MAX.description);
  return { ...template, values };
}

function boundSource(source: ArticleSource): ArticleSource {
  return {
    ...source,
    name: clipText(source.name, MAX.meta),
    role: optional(source.role, MAX.meta),
    url: source.url && source.url.length <= MAX.url ? source.url : undefined,
    evidence: source.evidence
      .slice(0, MAX.evidence)
      .map((item) => ({ ...item, text: clipText(item.text, MAX.evidenceText) })),
  };
}

/** The same reply with every content field cut to a size no platform can exceed. Linear. */
export function boundReply(reply: Reply): Reply {
  switch (reply.kind) {
    case 'text':
      return { ...reply, title: optional(reply.title, MAX.title), text: clipText(reply.text, MAX.text) };
    case 'articles':
      return { ...reply, heading: optional(reply.heading, MAX.title), cards: reply.cards.map(boundCard) };
    case 'summary':
      return {
        ...reply,
        article: boundCard(reply.article),
        sentences: reply.sentences.slice(0, MAX.sentences).map((sentence) => clipText(sentence, MAX.sentence)),
        basis: optional(reply.basis, MAX.title),
      };
    case 'sources':
      return {
        ...reply,
        article: boundCard(reply.article),
        sources: reply.sources.slice(0, MAX.sources).map(boundSource),
        basis: optional(reply.basis, MAX.title),
      };
    case 'help':
      return reply;
    case 'file':
      return { ...reply, text: clipText(reply.text, MAX.text) };
  }
}
