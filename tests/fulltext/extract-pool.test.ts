import { afterAll, describe, expect, it } from 'vitest';
import { createExtractPool, TOO_SLOW } from '../../src/ingest/fulltext/extract-pool.js';
import { ONLY_ON_PAGE, articlePage } from './pages.js';

// A page big enough to take seconds to parse and score, far over the budget (about 30 s here).
const heavy = `<html><body>${'<div><p>word word word <a href="/x">link</a> word</p><span>more</span></div>'.repeat(40_000)}</body></html>`;

describe('extraction pool', () => {
  const pool = createExtractPool({ budgetMs: 1500, maxHtmlChars: 4_000_000 });
  afterAll(() => pool.close());

  it('extracts in a worker', async () => {
    const outcome = await pool.extract(articlePage(), 'https://news.example/a');
    expect(outcome.ok && outcome.article.text).toContain(ONLY_ON_PAGE);
  });

  it('abandons a page over budget, replaces the worker, and carries on with the next page', async () => {
    const [slow, next] = await Promise.all([
      pool.extract(heavy),
      pool.extract(articlePage(), 'https://news.example/b'),
    ]);
    expect(slow).toMatchObject({ ok: false, reason: TOO_SLOW });
    expect(next.ok && next.article.text).toContain(ONLY_ON_PAGE);
  });

  it('refuses HTML over the size cap without parsing it', async () => {
    const small = createExtractPool({ maxHtmlChars: 1000 });
    try {
      expect(await small.extract('x'.repeat(1001))).toMatchObject({ ok: false, reason: 'the page is too large' });
    } finally {
      await small.close();
    }
  });
});
