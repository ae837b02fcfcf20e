import type { ExtractedBlock } from './blocks.js';
import type { DomDocument, DomElement } from './dom.js';

/**
 * Containers that are never the article: cookie banners, comment threads, share bars, related-story
 * rails, newsletter boxes, author bios. Readability only down-weights these, and on a short article
 * a long comment thread outweighs the text, so they go before it scores anything.
 */
const BOILERPLATE_SELECTOR = [
  'nav', 'aside', 'footer', 'form', '[role="navigation"]', '[role="complementary"]', '[role="contentinfo"]',
  '#comments', '.comments', '#respond', '.comment-list', '.commentlist', '#disqus_thread',
  '.sharedaddy', '.jp-relatedposts', '.yarpp-related', '.related-posts', '.relatedposts',
  '[class*="cookie"]', '[id*="cookie"]', '[class*="consent"]', '[id*="consent"]', '[class*="gdpr"]',
  '[class*="newsletter"]', '[class*="author-bio"]', '[class*="authorbox"]', '[class*="about-author"]',
  '[class*="share-"]', '[class*="social-"]', '[class*="breadcrumb"]', '[class*="related-"]',
].join(', ');

/** Removes boilerplate containers, sparing any that hold a big share of the page (a mis-named wrapper). */
export function pruneBoilerplate(doc: DomDocument): void {
  const body = doc.body;
  if (!body) return;
  const total = (body.textContent ?? '').length;
  const found = body.querySelectorAll(BOILERPLATE_SELECTOR);
  const doomed: DomElement[] = [];
  for (let i = 0; i < found.length && i < 2_000; i++) {
    const element = found[i]!;
    if ((element.textContent ?? '').length < 0.35 * total) doomed.push(element);
  }
  for (const element of doomed) element.remove();
}

/** A heading or short line that starts the after-article part of a page: related links, comments. */
const TAIL_START = new RegExp(
  [
    'related( (articles|posts|stories|content|coverage))?', 'more (from|on|stories|articles|in)', 'you (may|might) also like',
    'read (more|next|also)', 'recommended( for you)?', 'popular( now| posts)?', 'most (read|popular|viewed)', 'see also',
    'leave a (reply|comment)', '\\d* ?comments?', 'share (this|the article)', 'tags?', 'about the author',
    'ähnliche (beiträge|artikel)', 'auch interessant', 'das könnte (dich|sie) auch interessieren',
    'das thema könnte (dich|sie) auch interessieren', 'lesen sie (auch|mehr)', 'mehr zum thema', 'weitere artikel',
    'kommentare?( schreiben)?', 'verwandte (artikel|beiträge)', 'à lire aussi', 'lire aussi', 'sur le même sujet',
    'commentaires?', 'leggi anche', 'te puede interesar', 'lee también', 'noticias relacionadas',
  ].map((phrase) => `^(${phrase})\\s*:?$`).join('|'),
  'i',
);

/** One line that is site furniture wherever it appears. */
const FURNITURE = new RegExp(
  [
    '^(©|\\(c\\)|copyright\\b)', '^this entry was posted', '^der beitrag wurde am', '^(posted|published|erstellt) (on|am|in)\\b',
    '^-?\\s*anzeige\\s*-?:?$', '^advertisement$', '^werbung$', '^share( this)?:?$', '^teilen:?$', '^tweet$',
    '^\\(?noch keine bewertungen\\)?$', '^(lade|load) (weitere|more)', '^get the .{1,40} (newsletter|app)\\b',
    '^(abonniere|subscribe to) (unseren|our) newsletter',
  ].join('|'),
  'i',
);

/** Cuts the tail of related links and comments, and drops furniture lines, from extracted blocks. */
export function trimBoilerplateBlocks(blocks: ExtractedBlock[]): ExtractedBlock[] {
  let end = blocks.length;
  // Only the second half: "Read more" at the top of a page is usually the article's own heading.
  for (let i = Math.ceil(blocks.length / 2); i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.type !== 'list' && block.text.length <= 60 && TAIL_START.test(block.text)) {
      end = i;
      break;
    }
  }
  return blocks.slice(0, end).filter((block) => block.text.length > 200 || !FURNITURE.test(block.text));
}
