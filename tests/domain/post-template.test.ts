import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.js';
import { basisLine } from '../../src/domain/basis.js';
import { fillTemplate, formatDate, parseTemplate } from '../../src/domain/post-template.js';

const article: Article = {
  id: 'ab12cd34',
  key: 'k',
  title: 'Storm <b>hits</b> @everyone',
  author: 'Jane Doe',
  published: '2025-07-18T15:55:00Z',
  body: [{ type: 'paragraph', text: 'Body.' }],
  images: [],
  url: 'https://news.example/storm',
  origin: { kind: 'feed', feedUrl: 'https://news.example/feed', feedTitle: 'Example Wire' },
  publishers: [],
  links: [],
  tags: ['weather', 'uk'],
  summary: { sentences: ['One.', 'Two.'], method: 'extractive' },
  sources: [],
  contentHash: 'h',
  firstSeenAt: '2025-07-18T16:00:00Z',
  updatedAt: '2025-07-18T16:00:00Z',
  basis: { kind: 'teaser', reason: 'the page could not be read (403)' },
};

const identity = { escape: (text: string) => text, cap: (text: string) => text };

describe('post templates', () => {
  it('fills every placeholder from the article', () => {
    const parts = parseTemplate('{title}|{url}|{author}|{source}|{tags}|{summary}|{published}|{basis}|{id}');
    expect(fillTemplate(parts, article, identity)).toBe(
      'Storm <b>hits</b> @everyone|https://news.example/storm|Jane Doe|Example Wire|weather, uk|One. Two.|' +
        "18 Jul 2025 15:55 UTC|From the feed's teaser: the page could not be read (403)|ab12cd34",
    );
  });

  it('formats {published:<format>} in the subscription time zone', () => {
    const parts = parseTemplate('{published:dddd D MMMM YYYY, h:mm A} [{published:HH:mm Z}]');
    expect(fillTemplate(parts, article, { ...identity, timeZone: 'Europe/Berlin' })).toBe(
      'Friday 18 July 2025, 5:55 PM [17:55 CEST]',
    );
    expect(formatDate('2025-01-02T03:04:05Z', 'YY-M-D [at] hh:mm:ss', 'UTC')).toBe('25-1-2 at 03:04:05');
    expect(formatDate('not a date', 'YYYY', 'UTC')).toBe('');
  });

  it('escapes and caps only the article values, never the template markup', () => {
    const parts = parseTemplate('**{title}**');
    const out = fillTemplate(parts, article, {
      escape: (text) => text.replace(/[<>*@]/g, (c) => `\\${c}`),
      cap: (text) => text.slice(0, 5),
    });
    expect(out).toBe('**Storm**');
    expect(
      fillTemplate(parseTemplate('*{title}*'), article, { ...identity, escape: (t) => t.replace(/@/g, '@\u200b') }),
    ).toContain('@\u200beveryone');
  });

  it('refuses unknown placeholders, formats on other fields and overlong templates', () => {
    expect(() => parseTemplate('{titel}')).toThrow(/Unknown placeholder \{titel\}.*\{title\}/);
    expect(() => parseTemplate('{title:upper}')).toThrow(/Only \{published\} takes a format/);
    expect(() => parseTemplate('x'.repeat(1_001))).toThrow(/at most 1000 characters/);
    expect(parseTemplate('plain {not placeholder')).toEqual([{ kind: 'text', text: 'plain {not placeholder' }]);
  });

  it('says what the text is based on', () => {
    expect(basisLine({ kind: 'full' })).toBe('From the full article');
    expect(basisLine(undefined)).toBe('From the full text in the feed');
    expect(basisLine({ kind: 'paywalled' })).toMatch(/behind a paywall/);
  });
});
