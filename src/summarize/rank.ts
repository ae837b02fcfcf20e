import { contentTerms, wordCount } from './tokens.js';

/**
 * Sentence scoring for the extractive summariser. Three signals, all computed from the article
 * alone (no trained model, nothing downloaded):
 *
 * - Directed centrality in the style of PacSum (Zheng & Lapata 2019): a sentence scores by its
 *   TF-IDF cosine similarity to the others, and similarity to *later* sentences counts fully while
 *   similarity to earlier ones is discounted, because news states a fact first and elaborates after.
 * - An adaptive lead prior: a position bonus that decays with the sentence index and is scaled by
 *   how central the opening sentence is. An inverted-pyramid lede is central, so the lead gets its
 *   full weight; an anecdotal opening ("They may look like…") is not, so the prior fades.
 * - Overlap with the title, when there is one.
 *
 * The product is multiplied by a gentle length factor (very short fragments carry little) and
 * selection is greedy with a redundancy penalty (maximal marginal relevance).
 */

const EARLIER_WEIGHT = 0.7;
const LEAD_WEIGHT = 0.2;
const LEAD_DECAY = 3;
/** How much of the lead prior depends on the lede's centrality (0: fixed prior, 1: fully adaptive). */
const LEAD_ADAPT = 0.5;
const TITLE_WEIGHT = 0.25;
const LENGTH_POWER = 0.25;
const LENGTH_CAP = 40;
const LENGTH_PIVOT = 20;
const REDUNDANCY = 0.5;
/** Below this many words a "sentence" is usually a fragment, dateline or stray attribution. */
export const MIN_WORDS = 5;

/**
 * Photo captions, credits and page furniture that scraped and wire copy often leave inline
 * ("Smith (left) with his wife", "Scroll down for video"). They restate the lede, so centrality
 * would love them; they are never summary material.
 */
const FURNITURE =
  /\((?:\s*(?:pictured|left|right|centre|center|above|below|top|bottom|inset|file photo)\b[^)]*)\)|\b(?:scroll down|click here|sign up for|subscribe to our)\b/i;

interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export interface RankedSentences {
  /** Final per-sentence score; -Infinity marks a sentence that must not be chosen. */
  scores: number[];
  /** Cosine similarity between two sentences. */
  similarity(a: number, b: number): number;
}

function vectorize(terms: string[][]): SparseVector[] {
  const ids = new Map<string, number>();
  const df: number[] = [];
  const counted = terms.map((list) => {
    const counts = new Map<number, number>();
    for (const term of list) {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) df[id]!++;
    return counts;
  });
  const n = terms.length;
  return counted.map((counts) => {
    const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
    const weights = new Float64Array(entries.length);
    let norm = 0;
    entries.forEach(([id, tf], k) => {
      const w = tf * Math.log(1 + n / df[id]!);
      weights[k] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
    return { ids: Int32Array.from(entries.map((e) => e[0])), weights };
  });
}

function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

export function rankSentences(sentences: string[], title?: string): RankedSentences {
  const n = sentences.length;
  const terms = sentences.map(contentTerms);
  const vectors = vectorize(terms);
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      sim[i * n + j] = s;
      sim[j * n + i] = s;
    }
  }
  const centrality = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < n; j++) if (j !== i) c += (j > i ? 1 : EARLIER_WEIGHT) * sim[i * n + j]!;
    centrality[i] = c;
  }
  const top = Math.max(...centrality, 1e-9);
  for (let i = 0; i < n; i++) centrality[i]! /= top;

  const ledeCentrality = centrality[0] ?? 0;
  const leadScale = 1 - LEAD_ADAPT + LEAD_ADAPT * 2 * ledeCentrality;
  const titleTerms = new Set(title ? contentTerms(title) : []);

  const scores = sentences.map((sentence, i) => {
    const words = wordCount(sentence);
    if (words < MIN_WORDS || FURNITURE.test(sentence)) return -Infinity;
    const lead = LEAD_WEIGHT * leadScale * Math.exp(-i / LEAD_DECAY);
    let titleOverlap = 0;
    if (titleTerms.size > 0) {
      const hits = new Set(terms[i]!.filter((t) => titleTerms.has(t)));
      titleOverlap = hits.size / titleTerms.size;
    }
    const lengthFactor = (Math.min(words, LENGTH_CAP) / LENGTH_PIVOT) ** LENGTH_POWER;
    return (centrality[i]! + lead + TITLE_WEIGHT * titleOverlap) * lengthFactor;
  });
  return { scores, similarity: (a, b) => (a === b ? 1 : sim[a * n + b]!) };
}

/**
 * Greedy maximal-marginal-relevance selection of up to `k` sentence indices whose joined length
 * (one space between sentences) stays within `maxChars`. Returned in article order.
 */
export function selectSentences(sentences: string[], ranked: RankedSentences, k: number, maxChars: number): number[] {
  const chosen: number[] = [];
  let used = 0;
  const fits = (i: number): boolean => used + (chosen.length > 0 ? 1 : 0) + sentences[i]!.length <= maxChars;
  const take = (i: number): void => {
    used += (chosen.length > 0 ? 1 : 0) + sentences[i]!.length;
    chosen.push(i);
  };
  while (chosen.length < k) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < sentences.length; i++) {
      if (chosen.includes(i) || ranked.scores[i] === -Infinity || !fits(i)) continue;
      let overlap = 0;
      for (const j of chosen) overlap = Math.max(overlap, ranked.similarity(i, j));
      const s = ranked.scores[i]! - REDUNDANCY * overlap;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (best < 0) break;
    take(best);
  }
  // A very short article may have fewer eligible sentences than asked for: fill in article order
  // with the fragments we skipped, so a two-line item still gets a summary.
  for (let i = 0; i < sentences.length && chosen.length < k; i++) {
    if (!chosen.includes(i) && !FURNITURE.test(sentences[i]!) && fits(i)) take(i);
  }
  return chosen.sort((a, b) => a - b);
}
