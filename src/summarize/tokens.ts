import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.js';

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

/** Stemmed content words of a sentence, in order, lower-cased; digits kept as words. */
export function contentTerms(sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    const word = m[0].replace(/['’]s$/, '').replace(/['’]/g, '');
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    out.push(word.length > 3 ? stem(word) : word);
  }
  return out;
}

/** Number of words, the way a reader would count them (punctuation tokens excluded). */
export function wordCount(sentence: string): number {
  return sentence.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
