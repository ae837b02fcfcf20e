import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { PERMS } from '../fakes/discord/fake-discord.js';
import { makeInput } from '../support/articles.js';
import { silentLog } from '../support/runtime.js';

const GUILD_B = '1200000000000000999';
const SECRET = 'https://a.example/private.xml?token=s3cret';

/** Two servers on the fake Discord, the real discord.js client, a manager in each. */
describe('Discord: two guilds, one bot', () => {
  let h: Harness;
  let executor: Executor | undefined;
  let secretId = '';
  const manager = { permissions: PERMS.manager } as const;
  const inB = { guildId: GUILD_B, channelId: '1300000000000000555', ...manager };
  beforeAll(async () => {
    h = await startHarness({
      execute: (inv, stores) => {
        executor ??= createExecutor({
          stores,
          log: silentLog,
          feeds: createFeedCommandsPort({
            feedStore: stores.feeds,
            allowPrivate: false,
            resolve: async () => [{ address: '93.184.216.34', family: 4 }],
          }),
        });
        return executor(inv);
      },
    });
    const added = await h.fake.answer(h.fake.command('feeds add', { url: SECRET }, manager));
    expect(JSON.stringify(added.data)).toContain('Added feed');
    const stored = await h.stores.articles.upsert(
      makeInput({ title: 'Quokka census private story', origin: { kind: 'feed', feedUrl: SECRET } }),
    );
    secretId = stored.article.id;
  }, 30_000);
  afterAll(async () => h?.close());

  it("guild A's feed is A's: B's autocomplete, summary, latest and feeds list never show it", async () => {
    const choices = async (opts: object) =>
      (await h.fake.answer(h.fake.autocomplete('summary', { id: 'Quokka' }, 'id', opts))).data.choices as {
        value: string;
      }[];
    expect((await choices({})).map((choice) => choice.value)).toEqual([secretId]);
    expect(await choices({ guildId: GUILD_B })).toEqual([]);
    const summaryB = JSON.stringify((await h.fake.answer(h.fake.command('summary', { id: secretId }, inB))).data);
    expect(summaryB).toContain(`No article with id \\"${secretId}\\"`);
    const latestB = JSON.stringify((await h.fake.answer(h.fake.command('latest', {}, inB))).data);
    expect(latestB).not.toContain('Quokka');
    const latestA = JSON.stringify((await h.fake.answer(h.fake.command('latest', {}, manager))).data);
    expect(latestA).toContain('Quokka');
    const listB = JSON.stringify((await h.fake.answer(h.fake.command('feeds list', {}, inB))).data);
    expect(listB).not.toContain('a.example');
    const removeB = JSON.stringify((await h.fake.answer(h.fake.command('feeds remove', { id: SECRET }, inB))).data);
    expect(removeB).toContain('No feed with id');
    expect(await h.stores.feeds.get(SECRET)).toBeDefined();
    expect(h.calls.map((call) => call.space)).toContain(`discord:guild:${GUILD_B}`);
  });

  it("feeds export answers with an OPML attachment holding only the asking guild's feeds", async () => {
    const a = await h.fake.answer(h.fake.command('feeds export', {}, manager));
    const uploads = (a.data as { uploads?: { name: string; text: string }[] }).uploads ?? [];
    expect(uploads.map((upload) => upload.name)).toEqual(['newsdesk-feeds.opml']);
    expect(uploads[0]?.text).toContain('xmlUrl="https://a.example/private.xml?token=s3cret"');
    const b = await h.fake.answer(h.fake.command('feeds export', {}, inB));
    const inside = (b.data as { uploads?: { text: string }[] }).uploads?.[0]?.text ?? '';
    expect(inside).toContain('<opml version="2.0">');
    expect(inside).not.toContain('a.example');
  });
});
