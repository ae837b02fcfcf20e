import { bodyParagraphs, type ArticleDraft, type ArticleSummary } from '../domain/article.js';
import { type RankParams, rankSentences, selectSentences } from './rank.js';
import { cleanParagraphs, isCaption } from './clean-news.js';
import { detectLanguage } from './language.js';
import { splitSentences, splitSentencesIn } from './sentences.js';

export interface SummarizeOptions {
  /** How many sentences to pick; default 3. */
  sentences?: number;
  /**
   * Character budget for the joined summary (sentences separated by one space). Sentences are
   * dropped to fit, never cut. The default fits a Slack section (3,000) and so a Discord embed
   * description (4,096) as well.
   */
  maxChars?: number;
  /** The headline, when known: sentences that share its words score higher. */
  title?: string;
  /** Ranking parameters; the benchmark's cross-validation sets them, everyone else keeps the default. */
  rank?: RankParams;
}

export const DEFAULT_SENTENCES = 3;
export const DEFAULT_MAX_CHARS = 3000;

/** `Source: Reuters`, `Photo: AP`, `Credit: …` — publisher and credit lines, never prose. */
const CREDIT_LINE = /^\s*(?:sources?|photo|photos|image|images|picture|credit|credits|via)\s*:/i;
/** A caption that carries its credit at the end: "… into production. Source: Netflix". */
const TRAILING_CREDIT = /(?:^|[.!?]\s+)(?:source|photo|image|credit)\s*:\s*[^.!?]{1,60}$/i;
const BYLINE = /^\s*(?:by\s*:|by\s+\p{Lu}|written by\b|posted by\b)/iu;

function wordsIn(line: string): number {
  return line.split(/\s+/).filter(Boolean).length;
}

/** A line that does not end like a sentence and holds no sentence break: a headline or subheading. */
function looksLikeHeading(line: string): boolean {
  return wordsIn(line) <= 30 && !/[.!?:;"”’')\]]\s*$/.test(line) && !/[.!?]["”’)]?\s+\p{Lu}/u.test(line);
}

/** Longer than this, a block ending in "Source: X" is prose with a credit tacked on, not a caption. */
const CAPTION_MAX_WORDS = 40;

function isProse(line: string): boolean {
  const text = line.trim();
  if (!text || CREDIT_LINE.test(text)) return false;
  if (TRAILING_CREDIT.test(text) && wordsIn(text) <= CAPTION_MAX_WORDS) return false;
  if (BYLINE.test(text) && wordsIn(text) <= 14) return false;
  return !looksLikeHeading(text);
}

/**
 * Plain text to body paragraphs: blocks are separated by blank lines; headings, bylines, credit
 * lines and credited captions are left out; hard-wrapped lines of one block are joined.
 */
export function proseParagraphs(text: string): string[] {
  const out: string[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // A subheading sometimes sits directly on top of its paragraph with no blank line between.
    // A hard-wrapped line continues in lower case on the next line; a subheading does not.
    while (lines.length > 1 && !isProse(lines[0]!) && !/^\p{Ll}/u.test(lines[1]!)) lines.shift();
    // Inside a hard-wrapped block, keep unpunctuated lines except Daily Mail style captions.
    const kept = lines.filter((l) => isProse(l) || (lines.length > 1 && !isCaption(l)));
    const joined = kept
      .join(' ')
      .replace(TRAILING_CREDIT, (m) => m.replace(/(?:source|photo|image|credit)\s*:.*$/i, ''))
      .trim();
    if (joined && isProse(joined)) out.push(joined);
  }
  return out;
}

/**
 * A language we have no abbreviations or stopwords for gets its opening sentences, split by the
 * platform's own segmenter, rather than a ranking over words we cannot weigh.
 */
function leadSentences(paragraphs: string[], k: number, maxChars: number): ArticleSummary {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const out: string[] = [];
  let used = 0;
  for (const paragraph of paragraphs) {
    for (const { segment } of segmenter.segment(paragraph)) {
      const sentence = segment.trim();
      if (!sentence) continue;
      const cost = sentence.length + (out.length ? 1 : 0);
      if (out.length >= k || used + cost > maxChars) return { sentences: out, method: 'lead' };
      used += cost;
      out.push(sentence);
    }
  }
  return { sentences: out, method: 'lead' };
}

function summarizeParagraphs(paragraphs: string[], options: SummarizeOptions): ArticleSummary {
  const k = Math.max(0, Math.floor(options.sentences ?? DEFAULT_SENTENCES));
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const clean = cleanParagraphs(paragraphs);
  const language = detectLanguage(clean.join('\n'));
  if (!language.supported) return leadSentences(clean, k, maxChars);
  const sentences = clean.flatMap((p) => splitSentencesIn(p, language.code));
  if (k === 0 || sentences.length === 0) return { sentences: [], method: 'extractive' };
  const ranked = rankSentences(sentences, options.title, options.rank, language.code);
  const picked = selectSentences(sentences, ranked, k, maxChars, options.rank?.redundancy);
  return { sentences: picked.map((i) => sentences[i]!), method: 'extractive' };
}

/**
 * The summary stored with an article: whole sentences from body paragraphs only (never the
 * title, captions, headings, byline or `Source:` lines), in article order.
 */
export function summarizeDraft(draft: ArticleDraft, options: SummarizeOptions = {}): ArticleSummary {
  const paragraphs = bodyParagraphs(draft)
    .map((p) => p.trim())
    .filter((p) => p && isProse(p));
  return summarizeParagraphs(paragraphs, { title: draft.title, ...options });
}

/** The same summariser over plain text (CLI, benchmark): paragraphs are found by `proseParagraphs`. */
export function summarizeText(text: string, options: SummarizeOptions = {}): ArticleSummary {
  return summarizeParagraphs(proseParagraphs(text), options);
}

/** Lead-N over the same paragraphs and sentence splitter: the benchmark's baseline. */
export function leadText(text: string, options: SummarizeOptions = {}): ArticleSummary {
  const k = options.sentences ?? DEFAULT_SENTENCES;
  return { sentences: cleanParagraphs(proseParagraphs(text)).flatMap(splitSentences).slice(0, k), method: 'lead' };
}
