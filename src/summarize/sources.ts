import { bodyParagraphs, type ArticleDraft, type ArticleSource, type SourceKind } from '../domain/article.js';
import { findAttributions, personMentioned, quotedWords } from './attribution.js';
import { splitSentences } from './sentences.js';

/**
 * Who the article credits, from what the parser found (publisher lines, image credits, links)
 * and from attribution patterns in the body ("According to X", "X said", quoted speech). The
 * sources list is always this extraction; no model ever supplies sources.
 */

function key(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(?:the|mr|mrs|ms|miss)\.?\s+/, '')
    .replace(/['’]s$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function hostName(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Bounds on hostile bodies: an article naming more sources than this is not listing them for readers. */
export const MAX_SOURCES = 200;
export const MAX_SOURCE_SENTENCES = 2000;
/** Suffixes longer than this many words are never looked up ("Mr Saumarez Smith" has three). */
const MAX_SUFFIX_WORDS = 4;

function createCollector() {
  const list: ArticleSource[] = [];
  const byKey = new Map<string, ArticleSource>();
  // Every proper word-suffix of a multi-word name, so "Koirala" finds "Anuradha Koirala" in one lookup
  // (a scan of the list made 8,000 names cost 5 s).
  const bySuffix = new Map<string, ArticleSource>();

  const index = (source: ArticleSource): void => {
    const k = key(source.name);
    byKey.set(k, source);
    const words = k.split(' ');
    for (let i = Math.max(1, words.length - MAX_SUFFIX_WORDS); i < words.length; i++) {
      const suffix = words.slice(i).join(' ');
      if (!bySuffix.has(suffix)) bySuffix.set(suffix, source);
    }
  };
  const find = (name: string): ArticleSource | undefined => {
    const k = key(name);
    return byKey.get(k) ?? bySuffix.get(k);
  };

  const add = (name: string, kind: SourceKind, text: string, extra: { role?: string; url?: string } = {}): void => {
    const clean = name.trim();
    if (!clean) return;
    let source = find(clean);
    if (!source) {
      if (list.length >= MAX_SOURCES) return;
      source = { name: clean, kinds: [], evidence: [] };
      list.push(source);
      index(source);
    }
    if (!source.kinds.includes(kind)) source.kinds.push(kind);
    if (source.evidence.length < 20 && !source.evidence.some((e) => e.kind === kind && e.text === text)) {
      source.evidence.push({ kind, text });
    }
    if (extra.role && !source.role) source.role = extra.role;
    if (extra.url && !source.url) source.url = extra.url;
  };
  return { add, list };
}

/** The same page whatever its fragment, trailing slash or host case. */
function samePage(a: string, b: string | undefined): boolean {
  if (!b) return false;
  const canon = (u: string): string => {
    try {
      const url = new URL(u);
      url.hash = '';
      return url.href.replace(/\/$/, '');
    } catch {
      return u.trim();
    }
  };
  return canon(a) === canon(b);
}

/** A paragraph that is only a quotation, with no attribution of its own. */
function isBareQuotation(paragraph: string): boolean {
  const t = paragraph.trim();
  return /^(?:["“]|``)/.test(t) && /(?:["”]|'')$/.test(t) && quotedWords(t) >= 5 && findAttributions(t).length === 0;
}

const PRONOUN_ATTRIBUTION = /\b(?:according to (?:him|her)|(?:he|she) (?:said|says|added|told|explained))\b/i;

export function extractSources(draft: ArticleDraft, feed?: { title?: string; link?: string }): ArticleSource[] {
  const { add, list } = createCollector();

  for (const publisher of draft.publishers) add(publisher, 'publisher', `Source: ${publisher}`);
  for (const image of draft.images) {
    if (image.credit) add(image.credit, 'image-credit', image.caption.trim() || image.credit);
  }

  // The speaker of a bare quotation paragraph is the person the previous paragraph attributed
  // speech to, by name or by "according to him". Only the paragraph right after counts.
  let speaker: { name: string; role?: string } | undefined;
  let budget = MAX_SOURCE_SENTENCES;
  for (const paragraph of bodyParagraphs(draft)) {
    if (budget <= 0) break;
    if (isBareQuotation(paragraph)) {
      if (speaker) add(speaker.name, 'quoted', paragraph.trim(), speaker.role ? { role: speaker.role } : {});
      continue;
    }
    let next: typeof speaker;
    let lastPerson: typeof speaker;
    for (const sentence of splitSentences(paragraph)) {
      if (budget-- <= 0) break;
      for (const a of findAttributions(sentence)) {
        add(a.name, a.kind, sentence, a.role ? { role: a.role } : {});
        if (a.name.includes(' ') || a.role) next = { name: a.name, ...(a.role ? { role: a.role } : {}) };
      }
      if (PRONOUN_ATTRIBUTION.test(sentence) && lastPerson) next = lastPerson;
      lastPerson = personMentioned(sentence) ?? lastPerson;
    }
    speaker = next;
  }

  // The article's own page is where the reader already is, never one of its sources.
  for (const link of draft.links) {
    if (samePage(link.url, draft.url)) continue;
    const label = link.text?.trim();
    const name = label && !/^https?:\/\//i.test(label) && label.length <= 60 ? label : hostName(link.url);
    if (name) add(name, 'link', label ? `${label} <${link.url}>` : link.url, { url: link.url });
  }
  // The feed is the publisher: once, merged with a publisher line of the same name.
  if (feed?.title) add(feed.title, 'publisher', `Feed: ${feed.title}`, feed.link ? { url: feed.link } : {});
  return list;
}
