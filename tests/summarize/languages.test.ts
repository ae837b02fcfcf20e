import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage, SUPPORTED_LANGUAGES, stopwordsFor } from '../../src/summarize/language.js';
import { splitSentencesIn } from '../../src/summarize/sentences.js';
import { summarizeText } from '../../src/summarize/summarize.js';
import { projectRoot } from './corpus.js';

// Handwritten articles: three paragraphs of exactly two sentences each, with the language's abbreviations.
const fixture = path.join(projectRoot, 'tests/summarize/fixtures/languages.json');
const articles = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, string[]>;
const supported = SUPPORTED_LANGUAGES as readonly string[];

describe('languages', () => {
  for (const [language, paragraphs] of Object.entries(articles)) {
    const text = paragraphs.join('\n\n');
    it(`${language}: detected`, () => {
      const expected = supported.includes(language)
        ? { code: language, supported: true }
        : { code: expect.any(String), supported: false };
      expect(detectLanguage(text)).toEqual(expected);
    });
    if (!supported.includes(language)) {
      it(`${language}: unsupported, so the lead sentences, in order`, () => {
        const summary = summarizeText(text);
        expect(summary.method).toBe('lead');
        // Each paragraph has two plain sentences, so the lead is both of the first and one of the second.
        const [first, second] = paragraphs.map((p) => p.split(/(?<=\.)\s/));
        expect(summary.sentences).toEqual([first![0], first![1], second![0]]);
      });
      continue;
    }
    it(`${language}: split after sentences only, never after its abbreviations`, () => {
      for (const p of paragraphs) expect(splitSentencesIn(p, language)).toHaveLength(2);
    });
    it(`${language}: summary is three whole sentences in article order, lede first`, () => {
      const all = paragraphs.flatMap((p) => splitSentencesIn(p, language));
      const summary = summarizeText(text);
      expect(summary.method).toBe('extractive');
      expect(summary.sentences).toHaveLength(3);
      const positions = summary.sentences.map((s) => all.indexOf(s));
      expect(positions[0]).toBe(0);
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });
  }

  it('Intl.Segmenter alone would split after "Dr." and initials; our splitter does not', () => {
    const text = articles.en![1]!;
    const segments = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)];
    expect(segments.length).toBeGreaterThan(2);
    expect(splitSentencesIn(text, 'en')).toHaveLength(2);
  });

  it('uses stopwords-iso for each supported language other than English', () => {
    expect(stopwordsFor('de').has('und')).toBe(true);
    expect(stopwordsFor('fr').has('les')).toBe(true);
    expect(stopwordsFor('nl').has('het')).toBe(true);
    expect(stopwordsFor('en').has('the')).toBe(true);
  });
});
