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

function createCollector() {
  const list: ArticleSource[] = [];
  const byKey = new Map<string, ArticleSource>();

  /** Finds an existing source: same name, or a surname that ends a known multi-word person name. */
  const find = (name: string): ArticleSource | undefined => {
    const k = key(name);
    const exact = byKey.get(k);
    if (exact) return exact;
    // "Koirala" or "Mr Saumarez Smith" after "Anuradha Koirala" / "Charles Saumarez Smith".
    return list.find((s) => key(s.name).endsWith(` ${k}`));
  };

  const add = (name: string, kind: SourceKind, text: string, extra: { role?: string; url?: string } = {}): void => {
    const clean = name.trim();
    if (!clean) return;
    let source = find(clean);
    if (!source) {
      source = { name: clean, kinds: [], evidence: [] };
      list.push(source);
      byKey.set(key(clean), source);
    }
    if (!source.kinds.includes(kind)) source.kinds.push(kind);
    if (!source.evidence.some((e) => e.kind === kind && e.text === text)) source.evidence.push({ kind, text });
    if (extra.role && !source.role) source.role = extra.role;
    if (extra.url && !source.url) source.url = extra.url;
  };
  return { add, list };
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
  for (const paragraph of bodyParagraphs(draft)) {
    if (isBareQuotation(paragraph)) {
      if (speaker) add(speaker.name, 'quoted', paragraph.trim(), speaker.role ? { role: speaker.role } : {});
      continue;
    }
    let next: typeof speaker;
    let lastPerson: typeof speaker;
    for (const sentence of splitSentences(paragraph)) {
      for (const a of findAttributions(sentence)) {
        add(a.name, a.kind, sentence, a.role ? { role: a.role } : {});
        if (a.name.includes(' ') || a.role) next = { name: a.name, ...(a.role ? { role: a.role } : {}) };
      }
      if (PRONOUN_ATTRIBUTION.test(sentence) && lastPerson) next = lastPerson;
      lastPerson = personMentioned(sentence) ?? lastPerson;
    }
    speaker = next;
  }

  for (const link of draft.links) {
    const label = link.text?.trim();
    const name = label && !/^https?:\/\//i.test(label) && label.length <= 60 ? label : hostName(link.url);
    if (name) add(name, 'link', label ? `${label} <${link.url}>` : link.url, { url: link.url });
  }
  if (feed?.title) add(feed.title, 'publisher', `Feed: ${feed.title}`, feed.link ? { url: feed.link } : {});
  const itemLink = draft.url ?? undefined;
  if (itemLink && !draft.links.some((l) => l.url === itemLink)) {
    const host = hostName(itemLink);
    if (host) add(host, 'link', itemLink, { url: itemLink });
  }
  return list;
}
