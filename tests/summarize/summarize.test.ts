import { describe, expect, it } from 'vitest';
import { bodyParagraphs } from '../../src/domain/article.js';
import { splitSentences } from '../../src/summarize/sentences.js';
import { proseParagraphs, summarizeDraft, summarizeText } from '../../src/summarize/summarize.js';
import { draftOf, seedDraft, seedText } from './seed.js';

describe('summarizeDraft on the seed article', () => {
  const draft = seedDraft();
  const summary = summarizeDraft(draft);
  const bodySentences = bodyParagraphs(draft).flatMap(splitSentences);

  it('is three whole body sentences, in article order, labelled extractive', () => {
    expect(summary.method).toBe('extractive');
    expect(summary.sentences).toHaveLength(3);
    const positions = summary.sentences.map((s) => bodySentences.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const s of summary.sentences) expect(s).toMatch(/[.!?]["”]?$/);
  });

  it('never uses the title, caption, heading, byline or Source line', () => {
    const text = summary.sentences.join(' ');
    expect(text).not.toContain(draft.title);
    expect(text).not.toContain('Netflix adopts generative AI');
    expect(text).not.toContain("Here's What We Know");
    expect(text).not.toContain('Russell Thompson');
    expect(text).not.toMatch(/Source:/);
  });

  it('opens with the lede', () => {
    expect(summary.sentences[0]).toBe(
      'Netflix has for the first time acknowledged the use of generative AI in the production of a TV series.',
    );
  });

  it('gives the same summary from the raw file text (CLI path)', () => {
    expect(summarizeText(seedText()).sentences).toEqual(summary.sentences);
  });

  it('respects a character budget by dropping sentences, never cutting one', () => {
    for (const maxChars of [400, 250, 120]) {
      const small = summarizeDraft(draft, { maxChars });
      expect(small.sentences.join(' ').length).toBeLessThanOrEqual(maxChars);
      for (const s of small.sentences) expect(bodySentences).toContain(s);
    }
    expect(summarizeDraft(draft, { maxChars: 300 }).sentences.length).toBeGreaterThan(0);
    expect(summarizeDraft(draft, { maxChars: 20 }).sentences).toEqual([]);
  });

  it('honours the sentence count', () => {
    expect(summarizeDraft(draft, { sentences: 1 }).sentences).toHaveLength(1);
    expect(summarizeDraft(draft, { sentences: 5 }).sentences).toHaveLength(5);
  });
});

describe('summarizeText', () => {
  it('returns every sentence of a short article and nothing for an empty one', () => {
    expect(summarizeText('Only one sentence here.').sentences).toEqual(['Only one sentence here.']);
    expect(summarizeText('').sentences).toEqual([]);
  });

  it('is deterministic', () => {
    const text = seedText();
    expect(summarizeText(text)).toEqual(summarizeText(text));
  });

  it('skips headings, bylines, credit lines and credited captions but keeps long prose that ends with a credit', () => {
    const prose =
      'The council approved the budget on Monday after a long and often heated debate that ran late into the night. ' +
      'It will take effect in May, and councillors said the first savings would show up in the autumn figures.';
    const text = [
      'Big News Today',
      'By Jane Doe',
      'The mayor at the vote on Monday. Source: Agency',
      'Photo: Agency',
      `${prose} Source: Local Paper`,
      'Source: Local Paper',
    ].join('\n\n');
    expect(proseParagraphs(text)).toEqual([prose]);
  });

  it('never picks page furniture even when it repeats the lede', () => {
    const draft = draftOf([
      'The mayor opened the new bridge across the river on Saturday morning.',
      'The mayor (pictured) opened the new bridge across the river on Saturday.',
      'Scroll down for video of the mayor opening the new bridge across the river.',
      'The bridge cost four million pounds and took two years to build.',
      'Residents said the crossing would cut their commute by twenty minutes.',
    ]);
    const picked = summarizeDraft(draft).sentences.join(' ');
    expect(picked).not.toContain('(pictured)');
    expect(picked).not.toContain('Scroll down');
  });
});
