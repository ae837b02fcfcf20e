import { describe, expect, it } from 'vitest';
import { runFeedparser } from './conformance/feedparser.js';
import { runGofeed } from './conformance/gofeed.js';
import { corpusPresent, feedsCorpus, type SuiteResult } from './conformance/harness.js';
import { runNodeFeedparser } from './conformance/node-feedparser.js';
import { runRowanmanning } from './conformance/rowanmanning.js';
import { runSimplepie } from './conformance/simplepie.js';

if (!corpusPresent) console.warn(`[feeds conformance] skipped: ${feedsCorpus} is absent`);

const SUITES: [string, (corpus: string) => SuiteResult][] = [
  ['feedparser', runFeedparser],
  ['gofeed translator', runGofeed],
  ['rowanmanning snapshots', runRowanmanning],
  ['node-feedparser', runNodeFeedparser],
  ['simplepie encodings', runSimplepie],
];

describe.skipIf(!corpusPresent)('feed parser conformance over ../shared/corpus/feeds', () => {
  const results: SuiteResult[] = [];

  for (const [name, run] of SUITES) {
    it(`${name}: at least 95% of applicable cases pass`, () => {
      const result = run(feedsCorpus);
      results.push(result);
      const rate = result.passed / result.applicable;
      console.info(
        JSON.stringify({
          suite: result.suite,
          passed: result.passed,
          applicable: result.applicable,
          rate: Number(rate.toFixed(4)),
          notApplicable: result.notApplicable,
        }),
      );
      expect(result.applicable).toBeGreaterThan(0);
      expect(
        rate,
        result.failures
          .slice(0, 10)
          .map((f) => `${f.case}: ${f.reason}`)
          .join('\n'),
      ).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('all suites together reach 95%', () => {
    const passed = results.reduce((sum, r) => sum + r.passed, 0);
    const applicable = results.reduce((sum, r) => sum + r.applicable, 0);
    console.info(
      JSON.stringify({ suite: 'total', passed, applicable, rate: Number((passed / applicable).toFixed(4)) }),
    );
    expect(results).toHaveLength(SUITES.length);
    expect(passed / applicable).toBeGreaterThanOrEqual(0.95);
  });
});
