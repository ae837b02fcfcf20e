import { absoluteHttp, collapse } from './blocks.js';
import type { PageScan } from './page-scan.js';

/** What a page says about itself, read before extraction strips the head and scripts. */
export interface PageMetadata {
  title?: string;
  byline?: string;
  /** ISO 8601 instant. */
  published?: string;
  /** https only: an http image would be mixed content in every chat client. */
  leadImage?: string;
  /** schema.org `isAccessibleForFree: false` on the page's article. */
  notFree: boolean;
  /** The article type named by JSON-LD or og:type, if any. */
  type?: string;
  /** JSON-LD articleBody, a fallback when the markup hides the text. */
  articleBody?: string;
}

type Json = Record<string, unknown>;

const ARTICLE_TYPES = /article|posting|report|blog|newsarticle|review|analysis/i;
const MAX_JSON_LD_CHARS = 1_000_000;

export function readMetadata(scan: PageScan, url: string | undefined): PageMetadata {
  const meta = (key: string) => collapse(scan.metas.get(key) ?? '') || undefined;
  const ld = jsonLdArticle(scan.jsonLd);
  const ldAuthor = ld ? personNames(ld.author) : undefined;
  const ldImages = ld ? imageUrls(ld.image, 0) : [];
  const notFree = ld ? isNotFree(ld.isAccessibleForFree) || hasLockedPart(ld.hasPart) : false;

  const title =
    str(ld?.headline) ??
    meta('property=og:title') ??
    meta('name=twitter:title') ??
    (collapse(scan.firstH1?.textContent ?? '') || collapse(scan.title ?? '') || undefined);
  const byline =
    ldAuthor ??
    meta('name=author') ??
    meta('property=article:author') ??
    (collapse(scan.firstAuthor?.textContent ?? '') || undefined);
  const published =
    isoDate(str(ld?.datePublished)) ??
    isoDate(meta('property=article:published_time')) ??
    isoDate(meta('itemprop=datePublished')) ??
    isoDate(meta('name=date')) ??
    isoDate(scan.firstDatetime);
  const imageCandidates = [...ldImages, meta('property=og:image'), meta('name=twitter:image')];
  const leadImage = imageCandidates.map((raw) => absoluteHttp(raw, url)).find((abs) => abs?.startsWith('https://'));

  const out: PageMetadata = { notFree };
  if (title) out.title = title.slice(0, 500);
  if (byline && !/^https?:/i.test(byline)) out.byline = byline.slice(0, 200);
  if (published) out.published = published;
  if (leadImage) out.leadImage = leadImage;
  const type = ld ? str(ld['@type']) : meta('property=og:type');
  if (type) out.type = type;
  const body = ld ? str(ld.articleBody) : undefined;
  if (body) out.articleBody = body;
  return out;
}

/** The first JSON-LD object that is an article, looking inside arrays and @graph. */
function jsonLdArticle(scripts: string[]): Json | undefined {
  for (const raw of scripts) {
    if (raw.length > MAX_JSON_LD_CHARS) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, ''));
    } catch {
      continue;
    }
    const found = findArticle(parsed, 0);
    if (found) return found;
  }
  return undefined;
}

function findArticle(value: unknown, depth: number): Json | undefined {
  if (depth > 4 || !value || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const entry of value.slice(0, 50)) {
      const found = findArticle(entry, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const obj = value as Json;
  const types = Array.isArray(obj['@type']) ? obj['@type'] : [obj['@type']];
  if (types.some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t))) return obj;
  return findArticle(obj['@graph'], depth + 1) ?? findArticle(obj.mainEntity, depth + 1);
}

function isNotFree(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

function hasLockedPart(value: unknown): boolean {
  const parts = Array.isArray(value) ? value : [value];
  return parts.some((part) => part && typeof part === 'object' && isNotFree((part as Json).isAccessibleForFree));
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return collapse(value) || undefined;
  if (Array.isArray(value)) return str(value[0]);
  return undefined;
}

function personNames(value: unknown): string | undefined {
  const people = (Array.isArray(value) ? value : [value]).slice(0, 10);
  const names = people
    .map((person) => {
      if (typeof person === 'string') return person;
      return person && typeof person === 'object' ? str((person as Json).name) : undefined;
    })
    .filter((name): name is string => Boolean(name));
  return names.length > 0 ? collapse(names.join(', ')) : undefined;
}

function imageUrls(value: unknown, depth: number): (string | undefined)[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && depth < 2) return value.slice(0, 10).flatMap((entry) => imageUrls(entry, depth + 1));
  if (value && typeof value === 'object') return [str((value as Json).url) ?? str((value as Json).contentUrl)];
  return [];
}

function isoDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const time = Date.parse(raw.trim());
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString();
}
