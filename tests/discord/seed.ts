import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article, ArticleDraft } from '../../src/domain/article.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import type { Stores } from '../../src/store/ports.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED_PATH = join(projectRoot, 'articles', '000_319d06ae78c2c892.txt');

/** The seed article shipped in articles/, ingested the way the file watcher does it. */
export async function ingestSeed(stores: Stores): Promise<Article> {
  const draft = parseArticleFile({ path: SEED_PATH, bytes: readFileSync(SEED_PATH), timeZone: 'UTC' });
  return (await stores.articles.upsert(enrichDraft(draft), '2025-07-19T00:00:00.000Z')).article;
}

/** An article whose text tries to ping everyone. */
export async function ingestPingArticle(stores: Stores): Promise<Article> {
  const draft: ArticleDraft = {
    key: 'test:ping-everyone',
    title: 'Party time @everyone',
    published: '2025-07-20T10:00:00.000Z',
    body: [
      {
        type: 'paragraph',
        text: 'Hey @everyone and @here, the office party starts at noon. Bring snacks for <@123456789> please.',
      },
      {
        type: 'paragraph',
        text: 'According to Wire News, the cake is **huge** this year. The organisers expect a crowd.',
      },
    ],
    images: [],
    origin: { kind: 'file', path: 'ping.txt' },
    publishers: ['Wire News'],
    links: [],
    tags: [],
  };
  return (await stores.articles.upsert(enrichDraft(draft), '2025-07-20T10:00:00.000Z')).article;
}
