import type { ExtractedBlock } from './blocks.js';
import type { DomElement } from './dom.js';
import type { PageScan } from './page-scan.js';

/**
 * Containers that are never the article: cookie banners, comment threads, share bars, related-story
 * rails, newsletter boxes, author bios, image captions and credits. Readability only down-weights these,
 * and on a short article a long comment thread outweighs the text, so they go before it scores anything.
 */
const BOILERPLATE_TAGS = new Set(['NAV', 'ASIDE', 'FOOTER', 'FORM', 'FIGCAPTION']);
const BOILERPLATE_ROLES = new Set(['navigation', 'complementary', 'contentinfo']);
const COMMENT_IDS = new Set(['comments', 'respond', 'disqus_thread']);
const COMMENT_CLASSES = new Set(['comments', 'comment-list', 'commentlist']);
// Whole class tokens only: WordPress puts "category-social-media" or "tag-related" on the post itself.
const BOILERPLATE_CLASSES = new Set([
  'sharedaddy',
  'jp-relatedposts',
  'yarpp-related',
  'related-posts',
  'relatedposts',
  'share',
  'sharing',
  'social',
  'social-share',
  'share-buttons',
  'social-links',
  'related',
  'related-articles',
  'caption',
  'credit',
  'credits',
  'wp-caption-text',
]);
const BOILERPLATE_CLASS_PARTS = [
  'cookie',
  'consent',
  'gdpr',
  'newsletter',
  'author-bio',
  'authorbox',
  'about-author',
  'share-bar',
  'sharebar',
  'social-share',
  'breadcrumb',
  '-caption',
  '__caption',
  'photo-credit',
  'image-credit',
  'img-credit',
];
const BOILERPLATE_ID_PARTS = ['cookie', 'consent'];

/**
 * `comments` for a comment thread (never the article, however long), `other` for the rest: a
 * mis-named page wrapper (an ASP.NET `<form>`, a `class="entry share"` post) can match those.
 */
export function boilerplateKind(element: DomElement): 'comments' | 'other' | undefined {
  const id = element.getAttribute('id');
  const className = element.getAttribute('class');
  if (id && COMMENT_IDS.has(id)) return 'comments';
  const tokens = className ? className.split(/\s+/) : [];
  if (tokens.some((token) => COMMENT_CLASSES.has(token))) return 'comments';
  if (BOILERPLATE_TAGS.has(element.nodeName)) return 'other';
  const role = element.getAttribute('role');
  if (role && BOILERPLATE_ROLES.has(role)) return 'other';
  if (id && BOILERPLATE_ID_PARTS.some((part) => id.includes(part))) return 'other';
  if (!className) return undefined;
  if (BOILERPLATE_CLASS_PARTS.some((part) => className.includes(part))) return 'other';
  return tokens.some((token) => BOILERPLATE_CLASSES.has(token)) ? 'other' : undefined;
}

/** Removes the boilerplate containers a page scan found. */
export function pruneBoilerplate(scan: PageScan): void {
  for (const element of scan.boilerplate) element.remove();
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

/** A short block that is mostly link text is navigation: a related-story link, a tag list, a "read more". */
export interface LinkBlockRule {
  /** Share of a block's characters inside links at or above which it is dropped. */
  maxLinkDensity: number;
  /** Only blocks shorter than this are judged: a long paragraph dense with citations is still prose. */
  shortChars: number;
  /**
   * Keep a block that reads as a sentence (several words, closing punctuation), however linked: news
   * copy often links a whole clause, while a related-story headline ends without a full stop.
   */
  keepSentences: boolean;
}

/** Chosen by 5-fold cross-validation on the dev part of trafilatura-eval (`bench/extract-folds.ts`). */
export const LINK_BLOCK_RULE: LinkBlockRule = { maxLinkDensity: 0.4, shortChars: 200, keepSentences: true };

const SENTENCE_END = /[.!?…:;"”»)]$/;
const MIN_SENTENCE_WORDS = 6;

export function dropLinkBlocks(blocks: ExtractedBlock[], rule: LinkBlockRule = LINK_BLOCK_RULE): ExtractedBlock[] {
  return blocks.filter((block) => {
    if (block.text.length >= rule.shortChars || block.links.length === 0) return true;
    if (rule.keepSentences && block.type === 'paragraph' && isSentence(block.text)) return true;
    let linked = 0;
    for (const link of block.links) linked += link.text.length;
    return linked < rule.maxLinkDensity * block.text.length;
  });
}

function isSentence(text: string): boolean {
  if (!SENTENCE_END.test(text)) return false;
  let words = 1;
  for (let i = 0; i < text.length && words < MIN_SENTENCE_WORDS; i++) if (text.charCodeAt(i) === 32) words++;
  return words >= MIN_SENTENCE_WORDS;
}
