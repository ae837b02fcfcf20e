/**
 * Extraction benchmark. One JSON line per (set, extractor): precision, recall, F1 (as
 * ../shared/corpus/extraction/SOURCE.txt defines them), median and p99 ms per page, peak heap growth
 * (heap is shared by all extractors in the run: read it as an upper bound), and the process's peak RSS.
 * trafilatura-eval is reported whole and per split (dev = tuned on, holdout = never looked at while tuning).
 *
 *   npm run bench:extract     (LIMIT=100 for a quick run; ONLY=newsdesk to run one extractor; SPLIT=dev)
 */
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
  loadReferenceSet,
  loadSnippetSet,
  prf,
  quantile,
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

type Extract = (html: string, url: string) => Promise<string> | string;

/** Every candidate's content goes through the same block walker, so only the choice of content differs. */
function htmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return blocksToText(domToBlocks((document as unknown as { body: DomNode }).body, undefined));
}

async function candidates(): Promise<[string, Extract][]> {
  const list: [string, Extract][] = [
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
  return ONLY ? list.filter(([name]) => ONLY.some((only) => name.includes(only))) : list;
}

interface Timed {
  ms: number[];
  peakHeap: number;
}

async function run(extract: Extract, html: string, url: string, timed: Timed, base: number): Promise<string> {
  const start = performance.now();
  let text: string;
  try {
    text = await extract(html, url);
  } catch {
    text = '';
  }
  timed.ms.push(performance.now() - start);
  timed.peakHeap = Math.max(timed.peakHeap, process.memoryUsage().heapUsed - base);
  return text;
}

function timing(timed: Timed) {
  const sorted = [...timed.ms].sort((a, b) => a - b);
  return {
    medianMs: Number(quantile(sorted, 0.5).toFixed(2)),
    p99Ms: Number(quantile(sorted, 0.99).toFixed(1)),
    peakHeapGrowthMb: Number((timed.peakHeap / 1048576).toFixed(1)),
  };
}

const round = (value: number) => Number(value.toFixed(4));
const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

async function main(): Promise<void> {
  const traf = loadSnippetSet(path.join(corpus, 'trafilatura-eval'))
    .filter((page) => !SPLIT || splitOf(page.name) === SPLIT)
    .slice(0, LIMIT);
  const moz = loadReferenceSet(path.join(corpus, 'mozilla-readability')).slice(0, LIMIT);
  if (traf.length === 0 && moz.length === 0) {
    console.log(JSON.stringify({ bench: 'extract', skipped: `${corpus} is absent` }));
    return;
  }
  const expectedText = moz.map((page) => htmlToText(page.expectedHtml));
  const list = await candidates();
  // Interleaved page by page, so that the load of a shared machine falls on every extractor alike.
  const state = list.map(() => ({
    traf: { ms: [], peakHeap: 0 } as Timed,
    moz: { ms: [], peakHeap: 0 } as Timed,
    counts: { all: zero(), dev: zero(), holdout: zero() } as Record<'all' | 'dev' | 'holdout', Counts>,
    precisions: [] as number[],
    recalls: [] as number[],
  }));
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  for (const page of traf) {
    for (const [c, [, extract]] of list.entries()) {
      const text = await run(extract, page.html, page.url, state[c]!.traf, base);
      scoreSnippets(text, page, state[c]!.counts.all);
      scoreSnippets(text, page, state[c]!.counts[splitOf(page.name)]);
    }
  }
  for (const [i, page] of moz.entries()) {
    for (const [c, [, extract]] of list.entries()) {
      const text = await run(extract, page.html, 'http://fakehost/test/page.html', state[c]!.moz, base);
      const score = shingleScores(text, expectedText[i]!);
      if (score.precision !== undefined) state[c]!.precisions.push(score.precision);
      if (score.recall !== undefined) state[c]!.recalls.push(score.recall);
    }
  }
  for (const [c, [name]] of list.entries()) {
    const { counts, precisions, recalls } = state[c]!;
    for (const split of ['all', 'dev', 'holdout'] as const) {
      const score = prf(counts[split]);
      console.log(
        JSON.stringify({
          bench: 'extract',
          set: 'trafilatura-eval',
          split,
          extractor: name,
          pages: split === 'all' ? traf.length : traf.filter((page) => splitOf(page.name) === split).length,
          precision: round(score.precision),
          recall: round(score.recall),
          f1: round(score.f1),
          ...counts[split],
          ...(split === 'all' ? timing(state[c]!.traf) : {}),
        }),
      );
    }
    const precision = precisions.reduce((a, b) => a + b, 0) / Math.max(1, precisions.length);
    const recall = recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    console.log(
      JSON.stringify({
        bench: 'extract',
        set: 'mozilla-readability (regression only: expected = Readability output)',
        extractor: name,
        pages: moz.length,
        precision: round(precision),
        recall: round(recall),
        f1: round(f1),
        ...timing(state[c]!.moz),
      }),
    );
  }
  console.log(JSON.stringify({ bench: 'extract', peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

await main();
