import { describe, expect, it } from 'vitest';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { MAX_RANKED_SENTENCES } from '../../src/summarize/rank.js';
import { splitSentences } from '../../src/summarize/sentences.js';
import { MAX_SOURCES } from '../../src/summarize/sources.js';
import { draftOf } from './seed.js';

/**
 * Issue 13's inputs against the summariser, through the real enrich path. The bounds are CPU time
 * and generous (10x what a loaded machine needs); the real timings are in `npm run bench:sources`.
 */
function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}

describe('hostile bodies cost bounded, near-linear work', () => {
  it('"Officials said Ab Ab …" (99 KB, was 14.9 s) names nobody, quickly', () => {
    const body = `Officials said ${'Ab '.repeat(33_000)}`;
    const { value, ms } = cpuMs(() => enrichDraft(draftOf([body])));
    const named = value.sources.filter((s) => s.kinds.includes('cited') || s.kinds.includes('quoted'));
    expect(named.length).toBeLessThanOrEqual(1);
    expect(ms).toBeLessThan(1500);
  });

  it('8,000 distinct speakers (was 5 s of de-duplication) are capped, and repeats still merge', () => {
    const person = (i: number): string => `Person${i.toString(36)} Name${(i * 7).toString(36)}`;
    const names = Array.from({ length: 8000 }, (_, i) => `${person(i)} said so.`);
    names.splice(1, 0, 'Name0 said it again.');
    const { value, ms } = cpuMs(() => enrichDraft(draftOf(names)));
    expect(value.sources).toHaveLength(MAX_SOURCES);
    expect(value.sources[0]!.name).toBe('Person0 Name0');
    expect(value.sources[0]!.evidence).toHaveLength(2);
    expect(ms).toBeLessThan(1500);
  });

  it('8,000 sentences (was 2.1 s of ranking) rank only the first ones', () => {
    const sentences = Array.from({ length: 8000 }, (_, i) => `Sentence ${i} is about topic ${i % 97} with more words.`);
    const text = sentences.join(' ');
    const { value, ms } = cpuMs(() => enrichDraft(draftOf([text])));
    expect(value.summary.sentences).toHaveLength(3);
    const positions = value.summary.sentences.map((s) => Number(/Sentence (\d+)/.exec(s)![1]));
    expect(Math.max(...positions)).toBeLessThan(MAX_RANKED_SENTENCES);
    expect(ms).toBeLessThan(1500);
  });

  it('splits 100 KB of short quoted sentences without quadratic quote checks', () => {
    const text = '"Go." '.repeat(17_000);
    const { value, ms } = cpuMs(() => splitSentences(text));
    expect(value.length).toBe(17_000);
    expect(ms).toBeLessThan(1500);
  });

  it('a run of dotted capitals ("A.A.A…") does not make names scan to the end', () => {
    const body = `Reporters said ${'A.'.repeat(40_000)} was there.`;
    const { ms } = cpuMs(() => enrichDraft(draftOf([body])));
    expect(ms).toBeLessThan(1500);
  });
});
