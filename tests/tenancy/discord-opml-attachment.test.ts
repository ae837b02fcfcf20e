import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { buildRegistration } from '../../src/platforms/discord/registration.js';
import { commands } from '../../commands/index.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { PERMS } from '../fakes/discord/fake-discord.js';
import { silentLog } from '../support/runtime.js';

const GUILD = 'discord:guild:1200000000000000001';
const manager = { permissions: PERMS.manager } as const;

const reader = `<?xml version="1.0"?>
<opml version="1.0"><head><title>My reader</title></head><body>
  <outline text="Tech">
    <outline text="Caf&eacute; Wire" type="rss" xmlUrl="https://wire.example/feed?x=1&amp;y=2"/>
    <outline title="Deeper"><outline type="rss" XMLURL="https://deep.example/rss"/></outline>
  </outline>
  <outline text="Via url" type="rss" url="https://url.example/atom.xml"/>
  <outline text="Inward" xmlUrl="http://10.0.0.7/feed"/>
</body></opml>`;

const text = (answer: { data: Record<string, unknown> }) => JSON.stringify(answer.data);

/** `/news feeds import file:<attachment>` through the real discord.js client; the fake CDN serves the bytes. */
describe('Discord: OPML import from an attachment', () => {
  let h: Harness;
  let executor: Executor | undefined;
  beforeAll(async () => {
    h = await startHarness({
      // Answer directly only when quick; a slow download must go through the deferred path.
      adapter: { deferAfterMs: 400 },
      execute: (inv, stores) => {
        executor ??= createExecutor({
          stores,
          log: silentLog,
          feeds: createFeedCommandsPort({
            feedStore: stores.feeds,
            allowPrivate: false,
            resolve: async (host) => [{ address: host === '10.0.0.7' ? '10.0.0.7' : '93.184.216.34', family: 4 }],
          }),
        });
        return executor(inv);
      },
    });
  }, 30_000);
  afterAll(async () => h?.close());

  it('registers the option as type 11, after the optional url', () => {
    const feeds = buildRegistration(commands).options.find((option) => option.name === 'feeds');
    const importing = feeds?.options?.find((option) => option.name === 'import');
    expect(importing?.options?.map((option) => [option.name, option.type])).toEqual([
      ['url', 3],
      ['file', 11],
      ['document', 3],
    ]);
  });

  it("a manager's attached OPML links its feeds to the guild and the reply says what was imported", async () => {
    const file = h.fake.attach('reader.opml', reader);
    const answer = await h.fake.answer(h.fake.command('feeds import', { file: file.id }, manager));
    expect(text(answer)).toContain('Added 3, already here 0, refused 1.');
    expect(text(answer)).toContain('+ https://deep.example/rss');
    expect(text(answer)).toMatch(/! http:\/\/10\.0\.0\.7\/feed: Refused/);
    expect(file.downloads).toBe(1);
    const links = await h.stores.feeds.links('https://wire.example/feed?x=1&y=2');
    expect(links.map((link) => link.space)).toEqual([GUILD]);
    // The command saw the file's text, not the attachment id.
    const call = h.calls.at(-1);
    expect(call?.args.file).toContain('<opml');
    const again = await h.fake.answer(
      h.fake.command('feeds import', { file: h.fake.attach('r.xml', reader).id }, manager),
    );
    expect(text(again)).toContain('Added 0, already here 3, refused 1.');
  });

  it('a slow CDN and API (600 ms answers): the reply is deferred, then the report follows, ephemeral', async () => {
    h.fake.state.latency = { ms: 600, jitter: 0.2 };
    try {
      const file = h.fake.attach('slow.opml', reader.replace('deep.example', 'slow.example'));
      const record = h.fake.command('feeds import', { file: file.id }, manager);
      const answer = await h.fake.answer(record, 15_000);
      expect(answer.deferred).toBe(true);
      expect(text(answer)).toContain('Added 1, already here 2, refused 1.');
      expect(answer.data.flags).toBe(64);
    } finally {
      h.fake.state.latency = undefined;
    }
  });

  it('a member cannot import: the permission message, and nothing is downloaded', async () => {
    const file = h.fake.attach('reader.opml', reader.replace('deep.example', 'member.example'));
    const answer = await h.fake.answer(h.fake.command('feeds import', { file: file.id }, {}));
    expect(text(answer)).toContain('You need permission to manage this channel');
    expect(file.downloads).toBe(0);
    expect(await h.stores.feeds.get('https://member.example/rss')).toBeUndefined();
  });

  it('a file over 1 MB is refused by its declared size before any download', async () => {
    const file = h.fake.attach('huge.opml', reader, undefined, 2 * 1024 * 1024);
    const answer = await h.fake.answer(h.fake.command('feeds import', { file: file.id }, manager));
    expect(text(answer)).toContain('huge.opml is larger than 1024 KB');
    expect(file.downloads).toBe(0);
  });

  it('a file that declares a small size but sends more than 1 MB is cut off while downloading', async () => {
    const padding = `<!-- ${'x'.repeat(1_100_000)} -->`;
    const file = h.fake.attach('liar.opml', `${reader}${padding}`, undefined, 900);
    const answer = await h.fake.answer(h.fake.command('feeds import', { file: file.id }, manager));
    expect(text(answer)).toContain('liar.opml is larger than 1024 KB');
    expect(file.downloads).toBe(1);
  });

  it('an RSS feed, an image or plain words attached instead of OPML are refused with the reason', async () => {
    const rss = h.fake.attach('feed.xml', '<rss version="2.0"><channel><title>x</title></channel></rss>');
    const rssAnswer = await h.fake.answer(h.fake.command('feeds import', { file: rss.id }, manager));
    expect(text(rssAnswer)).toContain('feed.xml is not an OPML file: not an OPML document');
    const png = h.fake.attach('cat.opml', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const pngAnswer = await h.fake.answer(h.fake.command('feeds import', { file: png.id }, manager));
    expect(text(pngAnswer)).toContain('cat.opml is not an OPML file (it is image/png)');
    const notes = h.fake.attach('notes.txt', 'just words', 'text/plain');
    const notesAnswer = await h.fake.answer(h.fake.command('feeds import', { file: notes.id }, manager));
    expect(text(notesAnswer)).toContain('notes.txt is not an OPML file: attach a .opml or .xml file.');
    expect(notes.downloads).toBe(0);
  });
});
