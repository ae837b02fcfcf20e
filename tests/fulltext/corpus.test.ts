import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blocksToText, domToBlocks } from '../../src/ingest/fulltext/blocks.js';
import type { DomNode } from '../../src/ingest/fulltext/dom.js';
import { extractArticle } from '../../src/ingest/fulltext/extract-article.js';
import { parseHTML } from 'linkedom';
import {
  type Counts,
  loadReferenceSet,
  loadSnippetSet,
  prf,
  scoreSnippets,
  shingleScores,
  splitOf,
} from '../../bench/extract-score.js';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus/extraction');
const present = existsSync(corpus);
if (!present) console.warn(`skipped: ${corpus} is absent (extraction conformance)`);

// The dev part only: the held-out 30 % is for the benchmark's figure, never for tests or tuning.
const PAGES = 80;

describe.skipIf(!present)('extraction on trafilatura-eval (dev split)', () => {
  const pages = present
    ? loadSnippetSet(path.join(corpus, 'trafilatura-eval'))
        .filter((page) => splitOf(page.name) === 'dev')
        .slice(0, PAGES)
    : [];
  let cache: string[] | undefined;
  const texts = () => (cache ??= pages.map((page) => extractArticle(page.html, page.url).text));

  it('finds a body on nearly every page and keeps the snippet F1 above a regression floor', () => {
    const counts: Counts = { tp: 0, fp: 0, fn: 0 };
    let empty = 0;
    for (const [i, page] of pages.entries()) {
      const text = texts()[i]!;
      if (text.length < 100) empty++;
      scoreSnippets(text, page, counts);
    }
    expect(empty / pages.length).toBeLessThan(0.05);
    expect(prf(counts).f1).toBeGreaterThan(0.88);
  });

  it('leaves out what the set marks as boilerplate (navigation, related links, comments, banners) far more often than not', () => {
    let kept = 0;
    let total = 0;
    for (const [i, page] of pages.entries()) {
      const text = texts()[i]!.replace(/\s+/g, ' ');
      for (const snippet of page.without) {
        total++;
        if (text.includes(snippet.replace(/\s+/g, ' ').trim())) kept++;
      }
    }
    expect(total).toBeGreaterThan(100);
    expect(kept / total).toBeLessThan(0.1);
  });
});

describe.skipIf(!present)('extraction on mozilla-readability (regressions)', () => {
  const pages = present ? loadReferenceSet(path.join(corpus, 'mozilla-readability')).slice(0, 40) : [];

  it('keeps the body Readability.js finds (shingle recall) without adding much (precision)', () => {
    let recall = 0;
    let precision = 0;
    let n = 0;
    for (const page of pages) {
      const expected = blocksToText(
        domToBlocks(
          (parseHTML(`<html><body>${page.expectedHtml}</body></html>`).document as unknown as { body: DomNode }).body,
          undefined,
        ),
      );
      const score = shingleScores(extractArticle(page.html, 'http://fakehost/test/page.html').text, expected);
      if (score.recall === undefined || score.precision === undefined) continue;
      recall += score.recall;
      precision += score.precision;
      n++;
    }
    expect(n).toBeGreaterThan(30);
    expect(recall / n).toBeGreaterThan(0.95);
    expect(precision / n).toBeGreaterThan(0.95);
  });
});
