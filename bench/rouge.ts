import { stemmer } from 'stemmer';

/**
 * ROUGE-1/2/L F1 as computed by Google's `rouge-score` package (the scorer most papers report), so
 * figures here are comparable with published ones. Tokenisation follows it exactly: lowercase,
 * every run of characters outside [a-z0-9] becomes a space, Porter-stem tokens longer than 3.
 */

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export type RougeMetric = 'rouge1' | 'rouge2' | 'rougeL' | 'rougeLsum';

export interface RougeOptions {
  stem?: boolean;
}

export function rougeTokens(text: string, options: RougeOptions = {}): string[] {
  const stem = options.stem ?? true;
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ');
  const out: string[] = [];
  for (const word of words) {
    if (word.length === 0) continue;
    out.push(stem && word.length > 3 ? stemmer(word) : word);
  }
  return out;
}

function score(overlap: number, predictionCount: number, targetCount: number): RougeScore {
  const precision = predictionCount > 0 ? overlap / predictionCount : 0;
  const recall = targetCount > 0 ? overlap / targetCount : 0;
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function rougeN(target: string[], prediction: string[], n: number): RougeScore {
  const t = ngramCounts(target, n);
  const p = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [gram, count] of p) overlap += Math.min(count, t.get(gram) ?? 0);
  const total = (m: Map<string, number>): number => {
    let sum = 0;
    for (const c of m.values()) sum += c;
    return sum;
  };
  return score(overlap, total(p), total(t));
}

/** Dynamic-programming LCS table; rows are `a`, columns `b`, one extra row and column of zeros. */
function lcsTable(a: string[], b: string[]): Uint32Array[] {
  const rows: Uint32Array[] = [];
  for (let i = 0; i <= a.length; i++) rows.push(new Uint32Array(b.length + 1));
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
  }
  return rows;
}

export function rougeL(target: string[], prediction: string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return score(0, 0, 0);
  const lcs = lcsTable(target, prediction)[target.length]![prediction.length]!;
  return score(lcs, prediction.length, target.length);
}

/** Indices into `ref` of one LCS with `can`, backtracked the same way rouge-score does. */
function lcsIndices(ref: string[], can: string[]): number[] {
  const t = lcsTable(ref, can);
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (t[i]![j - 1]! > t[i - 1]![j]!) {
      j--;
    } else {
      i--;
    }
  }
  return out.reverse();
}

/** Summary-level LCS over newline-separated sentences (Lin 2004, section 3.2). */
export function rougeLsum(target: string[][], prediction: string[][]): RougeScore {
  const m = target.reduce((sum, s) => sum + s.length, 0);
  const n = prediction.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return score(0, 0, 0);
  const countsT = new Map<string, number>();
  const countsP = new Map<string, number>();
  for (const s of target) for (const tok of s) countsT.set(tok, (countsT.get(tok) ?? 0) + 1);
  for (const s of prediction) for (const tok of s) countsP.set(tok, (countsP.get(tok) ?? 0) + 1);
  let hits = 0;
  for (const ref of target) {
    const union = new Set<number>();
    for (const can of prediction) for (const idx of lcsIndices(ref, can)) union.add(idx);
    for (const idx of [...union].sort((a, b) => a - b)) {
      const tok = ref[idx]!;
      const ct = countsT.get(tok) ?? 0;
      const cp = countsP.get(tok) ?? 0;
      if (ct > 0 && cp > 0) {
        hits++;
        countsT.set(tok, ct - 1);
        countsP.set(tok, cp - 1);
      }
    }
  }
  return score(hits, n, m);
}

/** Scores one prediction against one target; argument order follows rouge-score (target first). */
export function rougeScore(
  metric: RougeMetric,
  target: string,
  prediction: string,
  options: RougeOptions = {},
): RougeScore {
  if (metric === 'rougeLsum') {
    const sents = (text: string): string[][] =>
      text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => rougeTokens(line, options));
    return rougeLsum(sents(target), sents(prediction));
  }
  const t = rougeTokens(target, options);
  const p = rougeTokens(prediction, options);
  if (metric === 'rougeL') return rougeL(t, p);
  return rougeN(t, p, metric === 'rouge1' ? 1 : 2);
}

export interface RougeTriple {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** F1 of ROUGE-1, ROUGE-2 and ROUGE-L with stemming, tokenising each side once. */
export function rougeF1(target: string, prediction: string): RougeTriple {
  const t = rougeTokens(target);
  const p = rougeTokens(prediction);
  return { rouge1: rougeN(t, p, 1).fmeasure, rouge2: rougeN(t, p, 2).fmeasure, rougeL: rougeL(t, p).fmeasure };
}
