import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { makeInput } from '../support/articles.js';
import { tempDir } from '../support/paths.js';
import { openTestApp } from '../support/app.js';

describe('the article outbox', () => {
  let dir: string;
  let cleanup: () => void;
  let stores: SqliteStores;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    stores = openSqliteStores(join(dir, 'n.db'));
  });
  afterEach(async () => {
    await stores.close();
    cleanup();
  });

  it('a kill between storing an article and fanning it out loses nothing: the next start fans it out', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'n.db')}`, ARTICLES_DIR: join(dir, 'none') };
    // First start: the terminal channel is subscribed.
    const before = await openTestApp(env, { mode: 'once' });
    await before.stop('first run done');
    // What a kill right after the store's commit leaves behind: the article, and no ledger rows.
    const { article } = await stores.articles.upsert(makeInput({ key: 'killed', contentHash: '1' }));
    expect(await stores.deliveries.forArticle(article.id)).toEqual([]);

    const after = await openTestApp(env, { mode: 'once' });
    expect(await after.stores.deliveries.forArticle(article.id)).toEqual([
      expect.objectContaining({ channel: 'console:main', state: 'pending' }),
    ]);
    expect(await after.stores.articles.pendingOutbox(10)).toEqual([]);
    await after.stop('test done');
  });
});
