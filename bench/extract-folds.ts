/**
 * 5-fold cross-validation of the link-block rule on the dev part of trafilatura-eval (never the held-out
 * part): for each fold the rule is chosen on the other four and scored on it. One JSON line per fold,
 * then the worst fold and the rule chosen on all of dev (the one `LINK_BLOCK_RULE` should hold).
 *
 *   node bin/run.mjs bench/extract-folds.ts     (LIMIT=200 for a quick run)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blocksToText, type ExtractedBlock } from '../src/ingest/fulltext/blocks.js';
import { dropLinkBlocks, LINK_BLOCK_RULE, type LinkBlockRule } from '../src/ingest/fulltext/boilerplate.js';
import { extractArticle } from '../src/ingest/fulltext/extract-article.js';
import { type Counts, foldOf, listSnippetSet, prf, readGzip, scoreSnippets, splitOf } from './extract-score.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(root, '../shared/corpus/extraction/trafilatura-eval');
const FOLDS = 5;
const OFF: LinkBlockRule = { maxLinkDensity: 1, shortChars: 0, keepSentences: false };

function grid(): LinkBlockRule[] {
  const rules = [OFF];
  for (const maxLinkDensity of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    for (const shortChars of [60, 100, 200, 400, 1_000]) {
      for (const keepSentences of [false, true]) rules.push({ maxLinkDensity, shortChars, keepSentences });
    }
  }
  return rules;
}

const entries = listSnippetSet(dir)
  .filter((entry) => splitOf(entry.name) === 'dev')
  .slice(0, Number(process.env.LIMIT ?? Infinity));
if (entries.length === 0) {
  console.log(JSON.stringify({ bench: 'extract-folds', skipped: `${dir} is absent` }));
} else {
  const rules = [...grid(), LINK_BLOCK_RULE];
  const inCode = rules.length - 1;
  // counts[rule][fold]: every page is extracted once, then each rule is applied to its blocks.
  const counts: Counts[][] = rules.map(() => Array.from({ length: FOLDS }, () => ({ tp: 0, fp: 0, fn: 0 })));
  for (const entry of entries) {
    const blocks: ExtractedBlock[] = extractArticle(readGzip(entry.file), entry.url, { linkBlocks: OFF }).blocks;
    const fold = foldOf(entry.name, FOLDS);
    for (const [r, rule] of rules.entries()) {
      scoreSnippets(blocksToText(dropLinkBlocks(blocks, rule)), entry, counts[r]![fold]!);
    }
  }
  const sum = (r: number, keep: (fold: number) => boolean): Counts => {
    const total = { tp: 0, fp: 0, fn: 0 };
    counts[r]!.forEach((c, fold) => {
      if (!keep(fold)) return;
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
    });
    return total;
  };
  const best = (keep: (fold: number) => boolean): number => {
    let chosen = 0;
    for (let r = 1; r < inCode; r++) if (prf(sum(r, keep)).f1 > prf(sum(chosen, keep)).f1) chosen = r;
    return chosen;
  };
  const round = (value: number) => Number(value.toFixed(4));
  const held: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const chosen = best((f) => f !== fold);
    const f1 = prf(sum(chosen, (f) => f === fold)).f1;
    held.push(f1);
    console.log(
      JSON.stringify({
        bench: 'extract-folds',
        fold,
        pages: entries.filter((entry) => foldOf(entry.name, FOLDS) === fold).length,
        chosen: rules[chosen],
        heldF1: round(f1),
        heldF1RuleOff: round(prf(sum(0, (f) => f === fold)).f1),
        heldF1InCode: round(prf(sum(inCode, (f) => f === fold)).f1),
      }),
    );
  }
  const onAll = best(() => true);
  console.log(
    JSON.stringify({
      bench: 'extract-folds',
      pages: entries.length,
      worstFoldF1: round(Math.min(...held)),
      meanFoldF1: round(held.reduce((a, b) => a + b, 0) / FOLDS),
      chosenOnAllDev: rules[onAll],
      inCode: LINK_BLOCK_RULE,
      devF1InCode: round(prf(sum(inCode, () => true)).f1),
      devF1Chosen: round(prf(sum(onAll, () => true)).f1),
    }),
  );
}
