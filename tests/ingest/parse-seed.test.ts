import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyParagraphs } from '../../src/domain/article.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { seedPath } from '../support/paths.js';

const parseSeed = (timeZone = 'UTC') => parseArticleFile({ path: seedPath, bytes: readFileSync(seedPath), timeZone });

describe('the seed article', () => {
  const draft = parseSeed();

  it('has the title from the first line', () => {
    expect(draft.title).toBe(
      "Netflix has given up on neural networks: GenAI is already helping with series, and writers aren't thrilled about it",
    );
  });

  it('has the author and the published time from the byline', () => {
    expect(draft.author).toBe('Russell Thompson');
    expect(draft.published).toBe('2025-07-18T15:55:00.000Z');
  });

  it('reads the byline time in ARTICLES_TZ', () => {
    expect(parseSeed('Europe/Berlin').published).toBe('2025-07-18T13:55:00.000Z');
    expect(parseSeed('America/New_York').published).toBe('2025-07-18T19:55:00.000Z');
  });

  it('keeps the image caption and its credit out of the body', () => {
    expect(draft.images).toEqual([
      {
        caption:
          'Netflix adopts generative AI: a new word in production processes Netflix is putting GenAI into production.',
        credit: 'Netflix',
      },
    ]);
    expect(draft.body.some((block) => block.text.includes('a new word in production processes'))).toBe(false);
  });

  it('marks "Here\'s What We Know" as a subheading, in its place', () => {
    expect(draft.body[1]).toEqual({ type: 'heading', text: "Here's What We Know" });
    expect(draft.body.filter((block) => block.type === 'heading')).toHaveLength(1);
  });

  it('takes the last line as the publisher source, not body text', () => {
    expect(draft.publishers).toEqual(['Reuters']);
    expect(draft.body.some((block) => block.text.startsWith('Source:'))).toBe(false);
  });

  it('keeps the body paragraphs in order, whole', () => {
    const paragraphs = bodyParagraphs(draft);
    expect(paragraphs).toHaveLength(6);
    expect(paragraphs[0]).toBe(
      'Netflix has for the first time acknowledged the use of generative AI in the production of a TV series. Writers and actors are concerned, the studio assures: the AI is just a supporting tool.',
    );
    expect(paragraphs[1]).toMatch(/^During the company's conference call .* making the effect possible on a budget\.$/);
    expect(paragraphs[2]).toMatch(/^"That VFX sequence was completed 10 times faster/);
    expect(paragraphs[3]).toMatch(/^According to Reuters, the platform is already testing GenAI/);
    expect(paragraphs[4]).toMatch(/^The use of GenAI in Netflix's series production/);
    expect(paragraphs[5]).toMatch(/in the age of algorithms\.$/);
  });

  it('is a file article with a title-and-date key', () => {
    expect(draft.origin).toEqual({ kind: 'file', path: seedPath });
    expect(draft.key).toMatch(/^title:netflix has given up on neural networks .*\|2025-07-18$/);
    expect(draft.tags).toEqual([]);
    expect(draft.links).toEqual([]);
  });
});
