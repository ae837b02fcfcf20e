import { describe, expect, it } from 'vitest';
import { bodyParagraphs } from '../../src/domain/article.js';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';

const parse = (path: string, text: string | Uint8Array, timeZone = 'UTC') =>
  parseArticleFile({ path, bytes: typeof text === 'string' ? Buffer.from(text, 'utf8') : text, timeZone });

function rejection(path: string, text: string | Uint8Array): string {
  try {
    parse(path, text);
  } catch (err) {
    if (isNewsdeskError(err, 'bad_input')) return err.message;
    throw err;
  }
  throw new Error('expected the file to be rejected');
}

const BODY =
  'The council approved the budget on Tuesday. Spending rises by four percent.\n\nCritics called it too modest.';

describe('bylines', () => {
  it('reads "By Jane Doe" with no date', () => {
    const draft = parse('a.txt', `Budget passes\n\nBy Jane Doe\n\n${BODY}`);
    expect(draft.author).toBe('Jane Doe');
    expect(draft.published).toBeUndefined();
    expect(bodyParagraphs(draft)[0]).toMatch(/^The council approved/);
  });

  it('reads "By: A | DD.MM.YYYY, HH:MM"', () => {
    const draft = parse('a.txt', `Budget passes\n\nBy: Ana Lima | 03.02.2024, 09:05\n\n${BODY}`);
    expect(draft.author).toBe('Ana Lima');
    expect(draft.published).toBe('2024-02-03T09:05:00.000Z');
  });

  it('reads "By: A | July 18, 2025" as midnight in the zone', () => {
    const draft = parse('a.txt', `Budget passes\nBy: Ana Lima | July 18, 2025\n\n${BODY}`, 'Asia/Tokyo');
    expect(draft.author).toBe('Ana Lima');
    expect(draft.published).toBe('2025-0717T15:00:00.000Z'.replace('07', '07-'));
  });

  it('reads an ISO 8601 date line, with or without a zone', () => {
    expect(parse('a.txt', `Budget passes\nBy Jane Doe\n2025-03-04T10:30:00+02:00\n\n${BODY}`).published).toBe(
      '2025-03-04T08:30:00.000Z',
    );
    expect(parse('a.txt', `Budget passes\nPublished: 2025-03-04 10:30\n\n${BODY}`, 'Europe/London').published).toBe(
      '2025-03-04T10:30:00.000Z',
    );
  });

  it('takes an article with no byline at all', () => {
    const draft = parse('a.txt', `Budget passes\n\n${BODY}`);
    expect(draft.author).toBeUndefined();
    expect(draft.published).toBeUndefined();
    expect(bodyParagraphs(draft)).toHaveLength(2);
    expect(draft.key).toBe('title:budget passes|undated');
  });
});

describe('text hygiene', () => {
  it('handles CRLF, a BOM, trailing spaces and non-ASCII text', () => {
    const text =
      '\ufeffZürich wählt   \r\nBy: Zoë Müller | 01.05.2025, 18:00  \r\n\r\nDie Stadt hat gewählt: 52 % für den Vorschlag.  \r\n\r\nSource: SRF  \r\n';
    const draft = parse('z.txt', text);
    expect(draft.title).toBe('Zürich wählt');
    expect(draft.author).toBe('Zoë Müller');
    expect(draft.published).toBe('2025-05-01T18:00:00.000Z');
    expect(bodyParagraphs(draft)).toEqual(['Die Stadt hat gewählt: 52 % für den Vorschlag.']);
    expect(draft.publishers).toEqual(['SRF']);
  });

  it('gives the same key whatever the line endings', () => {
    const unix = parse('a.txt', `Budget passes\nBy Jane Doe | 2025-01-02\n\n${BODY}`);
    const windows = parse('a.txt', `Budget passes\r\nBy Jane Doe | 2025-01-02\r\n\r\n${BODY.replace(/\n/g, '\r\n')}`);
    expect(windows.key).toBe(unix.key);
    expect(windows.body).toEqual(unix.body);
  });
});

describe('markdown with front matter', () => {
  it('reads the fields and the body', () => {
    const draft = parse(
      'm.md',
      [
        '---',
        'id: council-budget-2025',
        'title: "Council passes budget"',
        'author: Jane Doe',
        'date: 2025-07-18T09:00:00Z',
        'url: https://example.org/budget',
        'source: City Gazette',
        'tags: [politics, city]',
        '---',
        '',
        '![The town hall at dusk](https://example.org/hall.jpg "Jo Bloggs")',
        '',
        'The council **approved** the budget, [documents](https://example.org/docs) show.',
        '',
        '## What changes',
        '',
        'Spending rises by four percent.',
      ].join('\n'),
    );
    expect(draft).toMatchObject({
      key: 'id:council-budget-2025',
      title: 'Council passes budget',
      author: 'Jane Doe',
      published: '2025-07-18T09:00:00.000Z',
      url: 'https://example.org/budget',
      publishers: ['City Gazette'],
      tags: ['politics', 'city'],
      images: [{ caption: 'The town hall at dusk', url: 'https://example.org/hall.jpg', credit: 'Jo Bloggs' }],
    });
    expect(draft.body).toEqual([
      { type: 'paragraph', text: 'The council approved the budget, documents show.' },
      { type: 'heading', text: 'What changes' },
      { type: 'paragraph', text: 'Spending rises by four percent.' },
    ]);
    expect(draft.links.map((link) => link.url)).toEqual([
      'https://example.org/budget',
      'https://example.org/docs',
      'https://example.org/hall.jpg',
    ]);
  });

  it('takes the title from a "# " heading when the front matter has none', () => {
    const draft = parse('m.md', '# Rain expected\n\nHeavy rain is expected tonight.\n');
    expect(draft.title).toBe('Rain expected');
    expect(bodyParagraphs(draft)).toEqual(['Heavy rain is expected tonight.']);
  });

  it('names the bad front-matter field', () => {
    expect(rejection('m.md', '---\ntitle: X\ndate: not a date\n---\nBody text here.\n')).toMatch(/date/);
    expect(rejection('m.md', '---\ntitle: [unclosed\n---\nBody.\n')).toMatch(/YAML/);
  });
});

describe('json articles', () => {
  it('reads the Article schema with body as paragraphs', () => {
    const draft = parse(
      'j.json',
      JSON.stringify({
        title: 'Port reopens',
        author: 'Sam Roe',
        published: '2025-02-01T12:00:00Z',
        body: ['Ships are moving again.', { type: 'heading', text: 'Next' }, 'Trade resumes.'],
        sources: ['AP'],
        tags: ['trade'],
      }),
    );
    expect(draft).toMatchObject({
      title: 'Port reopens',
      author: 'Sam Roe',
      published: '2025-02-01T12:00:00.000Z',
      publishers: ['AP'],
      tags: ['trade'],
    });
    expect(draft.body).toEqual([
      { type: 'paragraph', text: 'Ships are moving again.' },
      { type: 'heading', text: 'Next' },
      { type: 'paragraph', text: 'Trade resumes.' },
    ]);
  });

  it('rejects JSON without a title, and broken JSON', () => {
    expect(rejection('j.json', JSON.stringify({ body: 'text' }))).toBe('article has no title');
    expect(rejection('j.json', '{"title": "x", ')).toMatch(/not valid JSON/);
  });
});

describe('bad files are rejected with a reason', () => {
  it.each([
    ['empty', 'e.txt', '', 'file is empty'],
    ['blank', 'e.txt', '  \n\n ', 'file is empty'],
    ['binary', 'b.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), 'file is binary (it contains NUL bytes)'],
    ['not UTF-8', 'l.txt', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a]), 'file is not valid UTF-8'],
    ['title only', 't.txt', 'Just a title\n', 'article has a title but no body'],
    ['other type', 'x.pdf', 'Title\n\nBody.', 'unsupported file type ".pdf" (use .txt, .md or .json)'],
  ])('%s', (_name, path, content, reason) => {
    expect(rejection(path, content)).toBe(reason);
  });

  it('a file over 5 MB', () => {
    expect(rejection('big.txt', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'))).toMatch(/larger than 5 MB/);
  });

  it('a first line too long to be a title', () => {
    expect(rejection('p.txt', `${'word '.repeat(80)}\n\nBody.`)).toMatch(/no title/);
  });
});
