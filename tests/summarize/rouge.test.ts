import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rougeF1, rougeScore, rougeTokens, type RougeMetric } from '../../bench/rouge.js';
import { corpusMissing, summarizationDir } from './corpus.js';

interface VectorCase {
  metric: RougeMetric;
  target: string;
  prediction: string;
  precision: number;
  recall: number;
  fmeasure: number;
  use_stemmer: boolean;
  compare_places: number;
  note?: string;
}

const missing = corpusMissing('rouge_vectors.json', 'ROUGE vectors');

describe.skipIf(missing)('ROUGE against the rouge-score / ROUGE-1.5.5 vectors', () => {
  const cases = missing
    ? []
    : (JSON.parse(readFileSync(path.join(summarizationDir, 'rouge_vectors.json'), 'utf8')) as { cases: VectorCase[] })
        .cases;

  it('has the vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const [i, c] of cases.entries()) {
    it(`case ${i}: ${c.metric}${c.use_stemmer ? ' stemmed' : ''}${c.note ? ` (${c.note.slice(0, 40)})` : ''}`, () => {
      const got = rougeScore(c.metric, c.target, c.prediction, { stem: c.use_stemmer });
      // compare_places follows Python's assertAlmostEqual: |a - b| rounded to n places is 0.
      const tol = 0.5 * 10 ** -c.compare_places;
      expect(Math.abs(got.precision - c.precision)).toBeLessThanOrEqual(tol);
      expect(Math.abs(got.recall - c.recall)).toBeLessThanOrEqual(tol);
      expect(Math.abs(got.fmeasure - c.fmeasure)).toBeLessThanOrEqual(tol);
    });
  }
});

describe('ROUGE basics', () => {
  it('tokenises like rouge-score and stems words longer than three letters', () => {
    expect(rougeTokens("Running, runs & ran: it's 10.5%!")).toEqual(['run', 'run', 'ran', 'it', 's', '10', '5']);
    expect(rougeTokens('Running', { stem: false })).toEqual(['running']);
  });

  it('scores identical texts 1 and disjoint texts 0', () => {
    expect(rougeF1('the cat sat on the mat', 'the cat sat on the mat')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rougeF1('alpha beta', 'gamma delta')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });
});
