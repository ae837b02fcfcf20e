/**
 * Sources benchmark: precision and recall of speakers and organisations on the hand-labelled
 * attribution set in tests/summarize/fixtures. The dev part was used while writing the patterns;
 * the held-out part was written before and scored last. One JSON line per part and type, then
 * the CPU time of the hostile inputs of issue 13.
 *
 *   npm run bench:sources
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractSources } from '../src/summarize/sources.js';
import { readLabelled, scoreSet } from './sources-score.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'tests/summarize/fixtures');
const verbose = process.argv.includes('--misses');

for (const part of ['dev', 'held-out'] as const) {
  const rows = readLabelled(path.join(fixtures, `attribution-${part}.json`));
  const result = scoreSet(rows);
  for (const type of ['speakers', 'organisations'] as const) {
    console.log(JSON.stringify({ part, paragraphs: rows.length, type, tunedOn: part === 'dev', ...result[type] }));
  }
  // Only the dev part's misses are ever shown: the held-out part must not steer the patterns.
  if (verbose && part === 'dev') for (const miss of result.misses) console.error(`${part}: ${miss}`);
}

function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 100) / 10;
}

const body = (paragraphs: string[]) => ({
  key: 'hostile',
  title: 'Hostile',
  body: paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
  images: [],
  origin: { kind: 'file' as const, path: 'hostile.txt' },
  publishers: [],
  links: [],
  tags: [],
});
const officials = `Officials said ${'Ab '.repeat(33_000)}`;
const names = Array.from({ length: 8000 }, (_, i) => `Person${i.toString(36)} Name${(i * 7).toString(36)} said so.`);
const officialsMs = cpuMs(() => extractSources(body([officials])));
console.log(JSON.stringify({ case: 'attribution "Officials said Ab Ab …" 99 KB', cpuMs: officialsMs, before: 14_900 }));
const namesMs = cpuMs(() => extractSources(body(names)));
console.log(JSON.stringify({ case: 'source de-duplication, 8,000 names', cpuMs: namesMs, before: 5_000 }));
