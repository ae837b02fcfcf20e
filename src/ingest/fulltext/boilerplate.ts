import type { ExtractedBlock } from './blocks.js';
import type { DomDocument, DomElement } from './dom.js';

/**
 * Containers that are never the article: cookie banners, comment threads, share bars, related-story
 * rails, newsletter boxes, author bios. Readability only down-weights these, and on a short article
 * a long comment thread outweighs the text, so they go before it scores anything.
 */
const BOILERPLATE_SELECTOR = [
  'nav',
  'aside',
  'footer',
  'form',
  '[role="navigation"]',
  '[role="complementary"]',
  '[role="contentinfo"]',
  '#comments',
  '.comments',
  '#respond',
  '.comment-list',
  '.commentlist',
  '#disqus_thread',
  '.sharedaddy',
  '.jp-relatedposts',
  '.yarpp-related',
  '.related-posts',
  '.relatedposts',
  '[class*="cookie"]',
  '[id*="cookie"]',
  '[class*="consent"]',
  '[id*="consent"]',
  '[class*="gdpr"]',
  '[class*="newsletter"]',
  '[class*="author-bio"]',
  '[class*="authorbox"]',
  '[class*="about-author"]',
  // Whole class tokens only: WordPress puts "category-social-media" or "tag-related" on the post itself.
  '.share',
  '.sharing',
  '.social',
  '.social-share',
  '.share-buttons',
  '.social-links',
  '[class*="share-bar"]',
  '[class*="sharebar"]',
  '[class*="social-share"]',
  '[class*="breadcrumb"]',
  '.related',
  '.related-articles',
  // Image captions and credits ("AFP / Getty Images") are never body text.
  'figcaption',
  '.caption',
  '.credit',
  '.credits',
  '.wp-caption-text',
  '[class*="-caption"]',
  '[class*="__caption"]',
  '[class*="photo-credit"]',
  '[class*="image-credit"]',
  '[class*="img-credit"]',
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
    if ((element.textContent ?? '').length >= 0.35 * total) continue;
    // A wrapper around the headline or the article body is mis-named, not boilerplate.
    if (element.nodeName === 'ARTICLE' || element.querySelector('article, [itemprop="articleBody"]')) continue;
    doomed.push(element);
  }
  for (const element of doomed) element.remove();
}

/** A heading or short line that starts the after-article part of a page: related links, comments. */
const TAIL_START = new RegExp(
  [
    'related( (articles|posts|stories|content|coverage))?',
    'more (from|on|stories|articles|in)',
    'you (may|might) also like',
    'read (more|next|also)',
    'recommended( for you)?',
    'popular( now| posts)?',
    'most (read|popular|viewed)',
    'see also',
    'leave a (reply|comment)',
    '\\d* ?comments?',
    'share (this|the article)',
    'tags?',
    'about the author',
    'ähnliche (beiträge|artikel)',
    'auch interessant',
    'das könnte (dich|sie) auch interessieren',
    'das thema könnte (dich|sie) auch interessieren',
    'lesen sie (auch|mehr)',
    'mehr zum thema',
    'weitere artikel',
    'kommentare?( schreiben)?',
    'verwandte (artikel|beiträge)',
    'à lire aussi',
    'lire aussi',
    'sur le même sujet',
    'commentaires?',
    'leggi anche',
    'te puede interesar',
    'lee también',
    'noticias relacionadas',
  ]
    .map((phrase) => `^(${phrase})\\s*[:!?.]?$`)
    .join('|'),
  'i',
);

/** Openings of a short line that introduce more links rather than more article. */
const TAIL_PREFIX = new RegExp(
  `^(${[
    'mehr zu(m thema)?\\b',
    'weitere (beiträge|artikel|infos|informationen)\\b',
    'lesen sie (auch|hier|mehr)\\b',
    'zum weiterlesen',
    'beiträge zum thema',
    'schon gelesen',
    'weiterführende links',
    'entdecke(n sie)? (weitere|jetzt)',
    'das könnte (dich|sie) auch',
    'noch mehr\\b',
    'themen im artikel',
    'veja também',
    'le puede interesar',
    'more (stories|articles|news) (from|on|about)\\b',
    'related (articles|posts|stories|coverage)\\b',
    'you (may|might) also\\b',
    'trending\\b',
  ].join('|')})`,
  'i',
);

/** One line that is site furniture wherever it appears. */
const FURNITURE = new RegExp(
  [
    '^(©|\\(c\\)|copyright\\b)',
    '^this entry was posted',
    '^der beitrag wurde am',
    '^(posted|published|erstellt) (on|am|in)\\b',
    '^-?\\s*anzeige\\s*-?:?$',
    '^advertisement$',
    '^werbung$',
    '^share( this)?:?$',
    '^teilen:?$',
    '^tweet$',
    '^\\(?noch keine bewertungen\\)?$',
    '^(lade|load) (weitere|more)',
    '^get the .{1,40} (newsletter|app)\\b',
    '^(abonniere|subscribe to) (unseren|our) newsletter',
    '^diesen (artikel|beitrag) teilen',
    '^anzeige,',
    '^externer inhalt$',
    '^quellen (ausblenden|anzeigen)$',
    '^(aktualisiert|veröffentlicht) am\\b',
    '^(foto|fotos|bild|bilder|photo|image|crédito|credit)s?\\s*:',
  ].join('|'),
  'i',
);

/** Cuts the tail of related links and comments, and drops furniture lines, from extracted blocks. */
export function trimBoilerplateBlocks(blocks: ExtractedBlock[]): ExtractedBlock[] {
  let end = blocks.length;
  // Only the second half: "Read more" at the top of a page is usually the article's own heading.
  for (let i = Math.ceil(blocks.length / 2); i < blocks.length; i++) {
    const block = blocks[i]!;
    const short = block.type !== 'list' && block.text.length <= 60;
    if (short && (TAIL_START.test(block.text) || TAIL_PREFIX.test(block.text))) {
      end = i;
      break;
    }
  }
  return blocks.slice(0, end).filter((block) => block.text.length > 120 || !FURNITURE.test(block.text));
}
