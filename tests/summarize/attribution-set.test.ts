import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabelled, scoreSet } from '../../bench/sources-score.js';
import { projectRoot } from './corpus.js';

const fixtures = path.join(projectRoot, 'tests/summarize/fixtures');

describe('hand-labelled attribution set (figures in npm run bench:sources)', () => {
  it('has 40+ paragraphs, a third held out', () => {
    const dev = readLabelled(path.join(fixtures, 'attribution-dev.json'));
    const held = readLabelled(path.join(fixtures, 'attribution-held-out.json'));
    expect(dev.length + held.length).toBeGreaterThanOrEqual(40);
    expect(held.length).toBeGreaterThanOrEqual(15);
  });

  it('finds every labelled speaker and organisation of the dev part, and nothing else', () => {
    const result = scoreSet(readLabelled(path.join(fixtures, 'attribution-dev.json')));
    expect(result.misses).toEqual([]);
  });

  it('keeps the held-out part above a floor (a regression guard, not the reported figure)', () => {
    const result = scoreSet(readLabelled(path.join(fixtures, 'attribution-held-out.json')));
    for (const type of [result.speakers, result.organisations]) {
      expect(type.precision).toBeGreaterThanOrEqual(0.75);
      expect(type.recall).toBeGreaterThanOrEqual(0.6);
    }
  });
});
