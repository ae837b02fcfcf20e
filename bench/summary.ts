/**
 * Summary benchmark: the extractive summariser against Lead-3 on two reference sets, 3 sentences
 * each, scored with the same ROUGE (rouge-score tokenisation, Porter stemming, F1). Prints one JSON
 * line per set and a final line with the targets from issue #3.
 *
 *   npm run bench:summary
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { rougeF1, type RougeTriple } from './rouge.js';
import { leadText, summarizeText } from '../src/summarize/summarize.js';

interface Item {
  id: string;
  text: string;
  reference: string;
  title?: string;
}

interface SetSpec {
  name: string;
  file: string;
  read(record: Record<string, unknown>): Item;
}

const K = 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '../shared/corpus/summarization');

const SETS: SetSpec[] = [
  {
    // Extractive references spread through the article (favours centrality). Headlines available.
    name: 'bbc',
    file: 'bbc_news_summary_250.jsonl',
    read: (r) => ({ id: String(r.id), text: String(r.article), reference: String(r.reference_summary_raw), title: String(r.title) }),
  },
  {
    // CNN/DailyMail highlights, abstractive and lead-heavy; lower-cased, tokenised, no headline.
    name: 'cnndm',
    file: 'cnndm_realsumm_98.jsonl',
    read: (r) => ({ id: String(r.id), text: String(r.article), reference: String(r.reference) }),
  },
];

function readSet(spec: SetSpec): Item[] {
  return readFileSync(path.join(corpus, spec.file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => spec.read(JSON.parse(line) as Record<string, unknown>));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pct = (x: number): number => Math.round(x * 10000) / 100;

function score(items: Item[], summarize: (item: Item) => string[]): RougeTriple & { medianMs: number } {
  for (const item of items) summarize(item); // warm-up so the JIT is not what we measure
  const sum = { rouge1: 0, rouge2: 0, rougeL: 0 };
  const times: number[] = [];
  for (const item of items) {
    const start = performance.now();
    const sentences = summarize(item);
    times.push(performance.now() - start);
    const s = rougeF1(item.reference, sentences.join(' '));
    sum.rouge1 += s.rouge1;
    sum.rouge2 += s.rouge2;
    sum.rougeL += s.rougeL;
  }
  const n = items.length;
  return { rouge1: pct(sum.rouge1 / n), rouge2: pct(sum.rouge2 / n), rougeL: pct(sum.rougeL / n), medianMs: Math.round(median(times) * 1000) / 1000 };
}

function main(): void {
  if (!existsSync(corpus)) {
    console.log(JSON.stringify({ skipped: true, reason: `${corpus} not found (../shared is absent)` }));
    return;
  }
  const results: Record<string, { newsdesk: ReturnType<typeof score>; lead3: ReturnType<typeof score> }> = {};
  for (const spec of SETS) {
    const items = readSet(spec);
    const newsdesk = score(items, (item) => summarizeText(item.text, { sentences: K, ...(item.title ? { title: item.title } : {}) }).sentences);
    const lead3 = score(items, (item) => leadText(item.text, { sentences: K }).sentences);
    results[spec.name] = { newsdesk, lead3 };
    const delta = {
      rouge1: pct((newsdesk.rouge1 - lead3.rouge1) / 100),
      rouge2: pct((newsdesk.rouge2 - lead3.rouge2) / 100),
      rougeL: pct((newsdesk.rougeL - lead3.rougeL) / 100),
    };
    console.log(JSON.stringify({ set: spec.name, file: spec.file, articles: items.length, sentences: K, newsdesk, lead3, delta }));
  }
  const bbc = results.bbc!;
  const cnn = results.cnndm!;
  const targets = {
    bbcRouge1AtLeastLead3Plus10: bbc.newsdesk.rouge1 >= bbc.lead3.rouge1 + 10,
    cnndmRouge1WithinHalfPoint: cnn.newsdesk.rouge1 >= cnn.lead3.rouge1 - 0.5,
    cnndmRouge2WithinHalfPoint: cnn.newsdesk.rouge2 >= cnn.lead3.rouge2 - 0.5,
    medianMsAtMost2: bbc.newsdesk.medianMs <= 2 && cnn.newsdesk.medianMs <= 2,
  };
  const moonshot = bbc.newsdesk.rouge1 > bbc.lead3.rouge1 && cnn.newsdesk.rouge1 > cnn.lead3.rouge1 && cnn.newsdesk.rouge2 > cnn.lead3.rouge2;
  console.log(JSON.stringify({ targets, allTargetsMet: Object.values(targets).every(Boolean), moonshotAboveLead3OnBoth: moonshot }));
}

main();
