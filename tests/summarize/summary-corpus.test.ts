import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rougeF1 } from '../../bench/rouge.js';
import { leadText, summarizeText } from '../../src/summarize/summarize.js';
import { corpusMissing, summarizationDir } from './corpus.js';

/**
 * Issue 16's floor as a conformance check with the shipped defaults: never below Lead-3, above it on
 * BBC. The cross-validated, per-fold figures are in `npm run bench:summary`; timing lives there too.
 */
function mean(
  rows: Array<{ text: string; ref: string; title?: string }>,
  pick: (r: { text: string; title?: string }) => string[],
) {
  let r1 = 0;
  let r2 = 0;
  for (const r of rows) {
    const s = rougeF1(r.ref, pick(r).join(' '));
    r1 += s.rouge1;
    r2 += s.rouge2;
  }
  return { rouge1: (100 * r1) / rows.length, rouge2: (100 * r2) / rows.length };
}

function read(file: string, map: (r: Record<string, string>) => { text: string; ref: string; title?: string }) {
  return readFileSync(path.join(summarizationDir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => map(JSON.parse(l) as Record<string, string>));
}

const ours = (r: { text: string; title?: string }) =>
  summarizeText(r.text, { sentences: 3, ...(r.title ? { title: r.title } : {}) }).sentences;
const lead3 = (r: { text: string }) => leadText(r.text, { sentences: 3 }).sentences;

describe.skipIf(corpusMissing('bbc_news_summary_250.jsonl', 'BBC summary targets'))(
  'BBC News Summary (centrality-friendly)',
  () => {
    it('beats Lead-3 on ROUGE-1 and ROUGE-2', () => {
      const rows = read('bbc_news_summary_250.jsonl', (r) => ({
        text: r.article!,
        ref: r.reference_summary_raw!,
        title: r.title!,
      }));
      const a = mean(rows, ours);
      const b = mean(rows, lead3);
      expect(a.rouge1).toBeGreaterThan(b.rouge1 + 1);
      expect(a.rouge2).toBeGreaterThan(b.rouge2 + 1);
    });
  },
);

describe.skipIf(corpusMissing('cnndm_realsumm_98.jsonl', 'CNN/DM summary targets'))(
  'CNN/DailyMail REALSumm (lead-heavy)',
  () => {
    it('is at least Lead-3 on ROUGE-1 and ROUGE-2', () => {
      const rows = read('cnndm_realsumm_98.jsonl', (r) => ({ text: r.article!, ref: r.reference! }));
      const a = mean(rows, ours);
      const b = mean(rows, lead3);
      expect(a.rouge1).toBeGreaterThanOrEqual(b.rouge1);
      expect(a.rouge2).toBeGreaterThanOrEqual(b.rouge2);
    });
  },
);
