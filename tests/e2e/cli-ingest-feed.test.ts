import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { seededBotEnv } from '../support/bot-env.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { runBot } from '../support/bot-process.js';

/** Items long enough to be full text, so the run needs no article pages. */
function feed(prefix: string): string {
  const words = 'The harbour board met on Tuesday and agreed to repair the sea wall before winter. '.repeat(12);
  return rssFeed({ count: 2, item: (i) => ({ title: `${prefix} story ${i}`, description: words }) });
}

describe('news ingest <feed-url> for a feed no space links', () => {
  let server: FeedServer;
  let env: Record<string, string>;
  let cleanup: () => void;
  beforeEach(async () => {
    server = await startFeedServer();
    server.serve('/loose.xml', feed('Loose'));
    server.serve('/guild.xml', feed('Guild'));
    ({ env, cleanup } = seededBotEnv('ingest.db'));
    Object.assign(env, { FEED_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'error' });
  });
  afterEach(async () => {
    cleanup();
    await server.close();
  });

  it('links it to the operator and says so, so the terminal sees its articles; a failing feed is not linked', async () => {
    const url = server.url('/loose.xml');
    const first = await runBot('cli', ['ingest', url], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'ok', new: 2, linked: 'operator' });
    expect(first.stderr).toMatch(/^newsdesk: .*loose\.xml was linked to no space.*it is now the operator's feed/m);
    const id = /feeds remove ([0-9a-z]+)/.exec(first.stderr)?.[1];
    expect(id).toBeDefined();

    const latest = await runBot('cli', ['latest'], env);
    expect(latest.stdout).toContain('Loose story 1');
    const list = await runBot('cli', ['feeds', 'list'], env);
    expect(list.stdout).toContain(url);

    // Linked once: a second run says nothing more.
    const again = await runBot('cli', ['ingest', url], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).not.toHaveProperty('linked');
    expect(again.stderr).toBe('');

    const removed = await runBot('cli', ['feeds', 'remove', id!], env);
    expect(removed.code).toBe(0);
    expect((await runBot('cli', ['latest'], env)).stdout).not.toContain('Loose story 1');

    // A URL that is not a feed gets no link, and the bot would not poll it.
    const missing = server.url('/missing.xml');
    const failed = await runBot('cli', ['ingest', missing], env);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'error' });
    expect((await runBot('cli', ['feeds', 'list'], env)).stdout).not.toContain(missing);
  }, 90_000);

  it("leaves a feed that a guild links to that guild: its articles do not become everyone's", async () => {
    const url = server.url('/guild.xml');
    // The guild's link, as `/news feeds add` in that guild makes it.
    const stores = openSqliteStores(env.DATABASE_URL!.slice('sqlite:'.length));
    await stores.feeds.add(url, { now: new Date().toISOString(), space: 'discord:guild:G1' });
    await stores.close();
    const ingested = await runBot('cli', ['ingest', url], env);
    expect(ingested.code).toBe(0);
    expect(JSON.parse(ingested.stdout)).not.toHaveProperty('linked');
    expect((await runBot('cli', ['latest'], env)).stdout).not.toContain('Guild story 1');
    expect((await runBot('cli', ['latest', '--space', 'discord:guild:G1'], env)).stdout).toContain('Guild story 1');
  }, 60_000);

  it('`news feeds add` exits once it has answered, even when run from a folder outside the project', async () => {
    const url = server.url('/guild.xml');
    // The temp folder is the working folder: the parser workers must find tsx from the project, not from here.
    const added = await runBot('cli', ['feeds', 'add', url], env, '', env.ARTICLES_DIR);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Added feed .*guild\.xml/);
    expect((await runBot('cli', ['feeds', 'list'], env)).stdout).toContain(url);
  }, 60_000);
});
