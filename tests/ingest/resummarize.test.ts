import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derivedVersion } from '../../src/ingest/enrich.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord.js';
import { openTestApp } from '../support/app.js';
import { seededBotEnv } from '../support/bot-env.js';
import { pollUntil, sleep } from '../support/poll.js';

const CHANNEL = '1300000000000000001';

describe('re-summarising after a summariser upgrade', () => {
  let fake: FakeDiscord;
  let env: Record<string, string>;
  let cleanup: () => void;
  beforeEach(async () => {
    fake = await createFakeDiscord();
    ({ env, cleanup } = seededBotEnv('resummarize.db'));
    Object.assign(env, {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_CHANNEL_IDS: CHANNEL,
      POST_SCHEDULE: '*/1 * * * * *',
    });
  });
  afterEach(async () => {
    await fake.close();
    cleanup();
  });

  it('redoes summary and sources of old-version articles in the background, without editing a post', async () => {
    const first = await openTestApp(env);
    const posted = () =>
      fake.requests.filter((request) => request.method === 'POST' && request.path.includes('/messages'));
    await pollUntil(() => posted().length === 1, 'the seed posted to Discord', { timeoutMs: 15_000 });
    const [seed] = await first.stores.articles.latest(1);
    if (!seed) throw new Error('the seed was not stored');
    // As if stored by an older summariser: another version and a summary it would not write now.
    const stale = { sentences: ['An old summary sentence.'], method: 'lead' as const };
    await first.stores.articles.replaceDerived(seed.id, { summary: stale, sources: [], derivedVersion: 'old-1' });
    expect(await first.stores.articles.staleDerived(derivedVersion, 10)).toHaveLength(1);
    // The fake has the message before the ledger says `sent`: wait for the ledger, then take the rows.
    let rowsBefore = await first.stores.deliveries.forArticle(seed.id);
    for (let tries = 0; tries < 200 && rowsBefore.some((row) => row.state !== 'sent'); tries++) {
      await sleep(25);
      rowsBefore = await first.stores.deliveries.forArticle(seed.id);
    }
    expect(rowsBefore.map((row) => row.state)).toEqual(['sent']);
    await first.stop('restart with a newer summariser');
    const requestsBefore = fake.requests.length;

    const second = await openTestApp(env);
    try {
      const deadline = Date.now() + 15_000;
      while ((await second.stores.articles.staleDerived(derivedVersion, 10)).length > 0) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the article to be re-summarised');
        await sleep(20);
      }
      const redone = await second.stores.articles.get(seed.id);
      expect(redone?.summary).toEqual(seed.summary);
      expect(redone?.sources).toEqual(seed.sources);
      expect(redone?.updatedAt).toBe(seed.updatedAt);
      expect(redone?.contentHash).toBe(seed.contentHash);
      // A few schedule ticks later: the ledger is as it was, and Discord saw no edit nor a second post.
      await sleep(2_500);
      expect(await second.stores.deliveries.forArticle(seed.id)).toEqual(rowsBefore);
      const later = fake.requests.slice(requestsBefore);
      expect(later.filter((request) => request.method === 'PATCH' && request.path.includes('/messages'))).toEqual([]);
      expect(posted()).toHaveLength(1);
    } finally {
      await second.stop('test done');
    }
  }, 60_000);
});
