/**
 * Scoring and corpus access for bench/extract.ts, as ../shared/corpus/extraction/SOURCE.txt defines them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A page of the snippet set; its HTML is read only when asked for, so a run holds one page at a time. */
export interface SnippetEntry {
  name: string;
  url: string;
  file: string;
  with: string[];
  without: string[];
}

export interface SnippetPage extends SnippetEntry {
  html: string;
}

export interface ReferenceEntry {
  name: string;
  source: string;
  expected: string;
}

export interface ReferencePage {
  name: string;
  html: string;
  expectedHtml: string;
}

export const readGzip = (file: string): string => gunzipSync(readFileSync(file)).toString('utf8');

/**
 * The fixed 70/30 split of trafilatura-eval, decided before any tuning: SHA-256 of the file name,
 * first 32 bits below 70 % of the range → dev, else held out. Never changes with the extractor.
 */
export function splitOf(fileName: string): 'dev' | 'holdout' {
  const value = createHash('sha256').update(fileName).digest().readUInt32BE(0);
  return value < 0.7 * 2 ** 32 ? 'dev' : 'holdout';
}

/** Fold of a dev page for cross-validation: the next 32 bits of the same hash, so folds and split agree. */
export function foldOf(fileName: string, folds: number): number {
  return createHash('sha256').update(fileName).digest().readUInt32BE(4) % folds;
}

export function listSnippetSet(dir: string): SnippetEntry[] {
  if (!existsSync(dir)) return [];
  type Entry = { file: string; with?: string[]; without?: string[] };
  const index = JSON.parse(readFileSync(path.join(dir, 'evaldata.json'), 'utf8')) as Record<string, Entry>;
  const entries: SnippetEntry[] = [];
  for (const [url, entry] of Object.entries(index)) {
    const file = path.join(dir, 'pages', `${entry.file}.gz`);
    if (!existsSync(file)) continue;
    entries.push({ name: entry.file, url, file, with: entry.with ?? [], without: entry.without ?? [] });
  }
  return entries;
}

export function loadSnippetSet(dir: string): SnippetPage[] {
  return listSnippetSet(dir).map((entry) => ({ ...entry, html: readGzip(entry.file) }));
}

export function listReferenceSet(dir: string): ReferenceEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const source = path.join(dir, name, 'source.html.gz');
      const expected = path.join(dir, name, 'expected.html.gz');
      return existsSync(source) && existsSync(expected) ? [{ name, source, expected }] : [];
    });
}

export function loadReferenceSet(dir: string): ReferencePage[] {
  return listReferenceSet(dir).map((entry) => ({
    name: entry.name,
    html: readGzip(entry.source),
    expectedHtml: readGzip(entry.expected),
  }));
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Snippet scoring, as trafilatura's evaluation does it (whitespace-normalised substring test). */
export function scoreSnippets(text: string, page: SnippetEntry, into: Counts): void {
  const hay = norm(text);
  for (const snippet of page.with) {
    if (hay.includes(norm(snippet))) into.tp++;
    else into.fn++;
  }
  for (const snippet of page.without) if (hay.includes(norm(snippet))) into.fp++;
}

export function prf(counts: Counts): { precision: number; recall: number; f1: number } {
  const precision = counts.tp / Math.max(1, counts.tp + counts.fp);
  const recall = counts.tp / Math.max(1, counts.tp + counts.fn);
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Shingle precision/recall of one page (4-token windows of \w+ runs); undefined when a side is empty. */
export function shingleScores(extracted: string, expected: string): { precision?: number; recall?: number } {
  const a = shingles(extracted);
  const b = shingles(expected);
  let tp = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const count of a.values()) sizeA += count;
  for (const [key, count] of b) {
    sizeB += count;
    tp += Math.min(count, a.get(key) ?? 0);
  }
  const out: { precision?: number; recall?: number } = {};
  if (sizeA > 0) out.precision = tp / sizeA;
  if (sizeB > 0) out.recall = tp / sizeB;
  return out;
}

function shingles(text: string): Map<string, number> {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const out = new Map<string, number>();
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const key = tokens.slice(i, i + 4).join(' ');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
