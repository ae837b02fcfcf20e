/**
 * Extraction benchmark. One JSON line per (set, split, extractor): precision, recall, F1 (as
 * ../shared/corpus/extraction/SOURCE.txt defines them) and median / p99 ms per page; the dev split's
 * five folds with the worst; a `parse_only` line (linkedom's parse alone, the floor under every
 * extractor here); the process's peak RSS. Pages are read one at a time and every extractor runs on a
 * page before the next is read (interleaved: a shared machine's load falls on all alike).
 * trafilatura-eval is reported whole and per split (dev = tuned on, holdout = never looked at while tuning).
 *
 *   npm run bench:extract     (LIMIT=100 for a quick run; ONLY=newsdesk to run one extractor; SPLIT=dev)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blocksToText, domToBlocks } from '../src/ingest/fulltext/blocks.js';
import type { DomNode } from '../src/ingest/fulltext/dom.js';
import { extractArticle } from '../src/ingest/fulltext/extract-article.js';
import {
  type Counts,
  foldOf,
  listReferenceSet,
  listSnippetSet,
  prf,
  quantile,
  readGzip,
  scoreSnippets,
  shingleScores,
  splitOf,
} from './extract-score.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '../shared/corpus/extraction');
const LIMIT = Number(process.env.LIMIT ?? Infinity);
const ONLY = process.env.ONLY?.split(',');
// SPLIT=dev while tuning, so the held-out pages are never looked at.
const SPLIT = process.env.SPLIT;
const FOLDS = 5;
const PARSE_ONLY = 'parse_only (linkedom parseHTML)';

type Extract = (html: string, url: string) => Promise<string> | string;

/** Every candidate's content goes through the same block walker, so only the choice of content differs. */
function htmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return blocksToText(domToBlocks((document as unknown as { body: DomNode }).body, undefined));
}

async function candidates(): Promise<[string, Extract][]> {
  const list: [string, Extract][] = [
    [
      PARSE_ONLY,
      (html) => {
        parseHTML(html);
        return '';
      },
    ],
    ['newsdesk extractArticle', (html, url) => extractArticle(html, url).text],
    [
      '@mozilla/readability (linkedom)',
      (html) => {
        const { document } = parseHTML(html);
        const parsed = new Readability(document as never, { serializer: (node) => node as unknown as DomNode }).parse();
        return parsed?.content ? blocksToText(domToBlocks(parsed.content, undefined)) : '';
      },
    ],
  ];
  const defuddle = await import('defuddle/node');
  list.push([
    'defuddle (linkedom)',
    async (html, url) => {
      const { document } = parseHTML(html);
      const result = await defuddle.Defuddle(document as never, url);
      return htmlToText(result.content ?? '');
    },
  ]);
  const extractus = await import('@extractus/article-extractor');
  list.push([
    '@extractus/article-extractor',
    async (html, url) => {
      const result = await extractus.extractFromHtml(html, url);
      return htmlToText(result?.content ?? '');
    },
  ]);
  return ONLY ? list.filter(([name]) => name === PARSE_ONLY || ONLY.some((only) => name.includes(only))) : list;
}

async function run(extract: Extract, html: string, url: string, ms: number[]): Promise<string> {
  const start = performance.now();
  let text: string;
  try {
    text = await extract(html, url);
  } catch {
    text = '';
  }
  ms.push(performance.now() - start);
  return text;
}

function timing(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { medianMs: Number(quantile(sorted, 0.5).toFixed(2)), p99Ms: Number(quantile(sorted, 0.99).toFixed(1)) };
}

const round = (value: number) => Number(value.toFixed(4));
const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
const print = (line: object) => console.log(JSON.stringify({ bench: 'extract', ...line }));
const load = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

async function main(): Promise<void> {
  const traf = listSnippetSet(path.join(corpus, 'trafilatura-eval'))
    .filter((page) => !SPLIT || splitOf(page.name) === SPLIT)
    .slice(0, LIMIT);
  const moz = listReferenceSet(path.join(corpus, 'mozilla-readability')).slice(0, LIMIT);
  if (traf.length === 0 && moz.length === 0) {
    print({ skipped: `${corpus} is absent` });
    return;
  }
  const list = await candidates();
  const state = list.map(() => ({
    trafMs: [] as number[],
    mozMs: [] as number[],
    counts: { all: zero(), dev: zero(), holdout: zero() } as Record<'all' | 'dev' | 'holdout', Counts>,
    folds: Array.from({ length: FOLDS }, zero),
    precisions: [] as number[],
    recalls: [] as number[],
  }));
  const loadBefore = load();
  for (const page of traf) {
    const html = readGzip(page.file);
    const split = splitOf(page.name);
    for (const [c, [name, extract]] of list.entries()) {
      const text = await run(extract, html, page.url, state[c]!.trafMs);
      if (name === PARSE_ONLY) continue;
      scoreSnippets(text, page, state[c]!.counts.all);
      scoreSnippets(text, page, state[c]!.counts[split]);
      if (split === 'dev') scoreSnippets(text, page, state[c]!.folds[foldOf(page.name, FOLDS)]!);
    }
  }
  for (const page of moz) {
    const html = readGzip(page.source);
    const expected = htmlToText(readGzip(page.expected));
    for (const [c, [name, extract]] of list.entries()) {
      const text = await run(extract, html, 'http://fakehost/test/page.html', state[c]!.mozMs);
      if (name === PARSE_ONLY) continue;
      const score = shingleScores(text, expected);
      if (score.precision !== undefined) state[c]!.precisions.push(score.precision);
      if (score.recall !== undefined) state[c]!.recalls.push(score.recall);
    }
  }
  const loadAvg = { loadBefore, loadAfter: load() };
  for (const [c, [name]] of list.entries()) {
    const { counts, folds, precisions, recalls, trafMs, mozMs } = state[c]!;
    if (name === PARSE_ONLY) {
      print({ set: 'trafilatura-eval', extractor: name, pages: traf.length, ...timing(trafMs), ...loadAvg });
      print({ set: 'mozilla-readability', extractor: name, pages: moz.length, ...timing(mozMs), ...loadAvg });
      continue;
    }
    for (const split of ['all', 'dev', 'holdout'] as const) {
      const score = prf(counts[split]);
      print({
        set: 'trafilatura-eval',
        split,
        extractor: name,
        pages: split === 'all' ? traf.length : traf.filter((page) => splitOf(page.name) === split).length,
        precision: round(score.precision),
        recall: round(score.recall),
        f1: round(score.f1),
        ...counts[split],
        ...(split === 'all' ? { ...timing(trafMs), ...loadAvg } : {}),
      });
    }
    const foldF1 = folds.map((fold) => round(prf(fold).f1));
    print({ set: 'trafilatura-eval', split: 'dev folds', extractor: name, foldF1, worstFoldF1: Math.min(...foldF1) });
    const precision = precisions.reduce((a, b) => a + b, 0) / Math.max(1, precisions.length);
    const recall = recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    print({
      set: 'mozilla-readability (regression only: expected = Readability output)',
      extractor: name,
      pages: moz.length,
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      ...timing(mozMs),
    });
  }
  print({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

await main();
