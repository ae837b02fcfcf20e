import { createHash } from 'node:crypto';

/** Lower-cased words only, so punctuation or spacing edits keep the same key. */
export function normaliseTitle(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Canonical key for a file article: front-matter id, else title + publication day. */
export function fileArticleKey(fields: { frontMatterId?: string; title: string; published?: string }): string {
  if (fields.frontMatterId) return `id:${fields.frontMatterId.trim()}`;
  const day = fields.published?.slice(0, 10) ?? 'undated';
  return `title:${normaliseTitle(fields.title)}|${day}`;
}

/**
 * Short id from a key: lower-case base-36 digits of SHA-256, 8 by default (about 41 bits).
 * Letters and digits only, so ids are URL-safe and never look like a command-line flag.
 * The store asks for a longer one on the rare collision.
 */
export function articleIdFor(key: string, length = 8): string {
  const digest = createHash('sha256').update(key).digest();
  let value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
  let id = '';
  while (id.length < length) {
    id += (value % 36n).toString(36);
    value /= 36n;
  }
  return id;
}
