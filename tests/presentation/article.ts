import type { Article } from '../../src/domain/article.js';

/** An article for renderer tests; `over` replaces any field. */
export function testArticle(over: Partial<Article> = {}): Article {
  return {
    id: 'ab12cd34',
    key: 'k',
    title: 'Storm hits the coast',
    author: 'Jane Doe',
    published: '2025-07-18T15:55:00Z',
    body: [{ type: 'paragraph', text: 'Body about the storm and the coast.' }],
    images: [{ caption: 'The coast', url: 'https://img.example/storm.jpg' }],
    url: 'https://news.example/storm',
    origin: { kind: 'feed', feedUrl: 'https://news.example/feed', feedTitle: 'Example Wire' },
    publishers: [],
    links: [],
    tags: ['weather'],
    summary: { sentences: ['The storm hit.', 'The coast flooded.'], method: 'extractive' },
    sources: [],
    contentHash: 'h',
    firstSeenAt: '2025-07-18T16:00:00Z',
    updatedAt: '2025-07-18T16:00:00Z',
    basis: { kind: 'full' },
    ...over,
  };
}

/** 40 KB of hostile title: markdown, broadcasts, Slack control sequences and astral characters. */
export const HOSTILE_TITLE =
  `${'**bold** @everyone <!channel> <@U123ABC> <@&123456789012345678> [x](https://e.vil) 😀 '.repeat(500)}`.slice(
    0,
    40_000,
  );
