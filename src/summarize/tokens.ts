import { stemmer } from 'stemmer';
import { stopwordsFor } from './language.js';

// News vocabulary repeats, and Porter stemming is pure: remember recent stems.
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;

function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    if (stems.size >= MAX_STEMS) stems.clear();
    stemmed = stemmer(word);
    stems.set(word, stemmed);
  }
  return stemmed;
}

/**
 * Content words of a sentence, in order, lower-cased; digits kept as words. English words are
 * Porter-stemmed; other languages are compared as written (Porter would mangle them).
 */
export function contentTerms(sentence: string, language = 'en'): string[] {
  const stopwords = stopwordsFor(language);
  const english = language === 'en';
  const out: string[] = [];
  for (const m of sentence.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    let word = m[0];
    // Most words have no apostrophe; only those need the possessive and the apostrophes taken off.
    if (word.includes("'") || word.includes('’')) word = word.replace(/['’]s$/, '').replace(/['’]/g, '');
    if (word.length < 2 || stopwords.has(word)) continue;
    out.push(english && word.length > 3 ? stem(word) : word);
  }
  return out;
}

/** Number of words, the way a reader would count them (punctuation tokens excluded). */
export function wordCount(sentence: string): number {
  return sentence.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
