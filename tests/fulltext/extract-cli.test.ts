import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runExtractCli } from '../../src/ingest/fulltext/extract-cli.js';
import { createExtractPool } from '../../src/ingest/fulltext/extract-pool.js';
import { ONLY_ON_PAGE, articlePage, paywalledPage } from './pages.js';

describe('news extract', () => {
  const pool = createExtractPool();
  afterAll(() => pool.close());

  it('answers one line per input line, in order; bad lines get an error and the run carries on', async () => {
    const input = Readable.from([
      `${JSON.stringify({ id: 'a', url: 'https://news.example/a', html: articlePage() })}\n`,
      '{not json\n',
      `${JSON.stringify({ id: 'b', url: 'ftp://x', html: '<p>x</p>' })}\n`,
      `${JSON.stringify({ id: 'c' })}\n`,
      '\n',
      `${JSON.stringify({ id: 'd', url: 'https://news.example/d', html: paywalledPage() })}\n`,
      `${JSON.stringify({ id: 'e', html: '<html><body><nav>Home</nav></body></html>' })}\n`,
    ]);
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const counts = await runExtractCli({ input, output, extractor: pool });
    const lines = chunks
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(counts).toEqual({ lines: 6, errors: 3 });
    expect(lines.map((line) => line.id)).toEqual(['a', null, 'b', 'c', 'd', 'e']);
    expect(Object.keys(lines[0]!)).toEqual(['id', 'title', 'byline', 'published', 'text', 'basis']);
    expect(lines[0]).toMatchObject({
      title: 'Storm passes the harbour',
      byline: 'Ada Reporter',
      published: '2024-03-05T10:00:00.000Z',
      basis: 'full',
    });
    expect(String(lines[0]!.text)).toContain(`${ONLY_ON_PAGE}`);
    expect(String(lines[0]!.text)).toContain('\n\n');
    expect(lines[1]).toEqual({ id: null, error: 'not a JSON object' });
    expect(lines[2]).toEqual({ id: 'b', error: '"url" must be an http(s) URL' });
    expect(lines[3]).toEqual({ id: 'c', error: 'missing "html" (a string)' });
    expect(lines[4]).toMatchObject({ id: 'd', basis: 'paywalled' });
    expect(lines[5]).toMatchObject({ id: 'e', basis: 'teaser', reason: 'the page is not an article page' });
  });
});
