import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import type { FakeSharedFile } from '../fakes/slack/fake-files.js';
import { postSigned } from '../fakes/slack/sign.js';
import { SIGNING_SECRET, type Harness } from '../slack/harness.js';
import { startStoreHarness } from '../slack/store-harness.js';

const reader = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Reader</title></head><body>
  <outline text="News"><outline text="Caf&eacute;" xmlUrl="https://cafe.example/rss"/>
    <outline title="Inner"><outline XMLURL="https://inner.example/atom"/></outline></outline>
  <outline text="No scheme" xmlUrl="ftp://old.example/feed"/>
</body></opml>`;

/** OPML files shared with the bot (DM, or a channel with a mention), through Bolt with signed events. */
describe('Slack: an OPML file shared with the bot is imported', () => {
  let h: Harness;
  let stores: SqliteStores;
  let close: (() => Promise<void>) | undefined;
  let seq = 0;
  beforeAll(async () => {
    ({ h, stores, close } = await startStoreHarness({ adminUserIds: ['UA'] }));
    h.fake.users.set('UM', { is_admin: false });
  }, 30_000);
  beforeEach(() => h.fake.on('files.info'));
  afterAll(async () => close?.());

  async function deliver(event: Record<string, unknown>, team = 'T1'): Promise<number> {
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: team,
      api_app_id: 'A111',
      type: 'event_callback',
      event_id: `Ev${++seq}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { ts: `1700000${seq}.000100`, event_ts: `1700000${seq}.000100`, ...event },
    });
    const answer = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: body,
      contentType: 'application/json',
    });
    return answer.status;
  }

  const inDm = (user: string, file: Pick<FakeSharedFile, 'id' | 'name'>, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    subtype: 'file_share',
    channel: `D${user}`,
    channel_type: 'im',
    user,
    text: '',
    files: [{ id: file.id, name: file.name }],
    ...extra,
  });

  async function reply(method: 'chat.postMessage' | 'chat.postEphemeral', channel: string): Promise<string> {
    const before = h.fake.callsTo(method).length;
    const call = await h.fake.waitFor(() =>
      h.fake
        .callsTo(method)
        .slice(before)
        .find((c) => c.params.channel === channel),
    );
    return JSON.stringify(call.params);
  }

  it('a DM with the bot: the file is read with the bot token and its feeds are linked to the workspace', async () => {
    const file = h.fake.fileHost.shareFile({ name: 'reader.opml', content: reader });
    const answered = reply('chat.postMessage', 'DUA');
    expect(await deliver(inDm('UA', file))).toBe(200);
    const text = await answered;
    expect(text).toContain('Added 2, already here 0, refused 1.');
    expect(text).toContain('+ https://inner.example/atom');
    expect(text).toContain('ftp://old.example/feed');
    expect(file.downloads).toEqual(['Bearer xoxb-test-token']);
    expect(h.fake.callsTo('files.info').at(-1)?.params.file).toBe(file.id);
    expect((await stores.feeds.links('https://cafe.example/rss')).map((link) => link.space)).toEqual(['slack:team:T1']);
  });

  it('a channel: "@newsdesk feeds import" with the file answers the sharer alone', async () => {
    const file = h.fake.fileHost.shareFile({
      name: 'more.xml',
      content: reader.replace('inner.example', 'chan.example'),
    });
    const answered = reply('chat.postEphemeral', 'C9');
    await deliver(
      {
        type: 'app_mention',
        channel: 'C9',
        user: 'UA',
        text: '<@UBOT> feeds import',
        files: [{ id: file.id, name: file.name }],
      },
      'T2',
    );
    const text = await answered;
    expect(text).toContain('"user":"UA"');
    expect(text).toContain('Added 2, already here 0');
    expect((await stores.feeds.links('https://chan.example/atom')).map((link) => link.space)).toEqual([
      'slack:team:T2',
    ]);
  });

  it('a member gets the same refusal as the command, and the file is never downloaded', async () => {
    const file = h.fake.fileHost.shareFile({
      name: 'reader.opml',
      content: reader.replace('inner.example', 'member.example'),
    });
    const answered = reply('chat.postMessage', 'DUM');
    await deliver(inDm('UM', file));
    expect(await answered).toContain('You need permission to manage this channel');
    expect(file.downloads).toEqual([]);
    expect(await stores.feeds.get('https://member.example/atom')).toBeUndefined();
  });

  it('a download link off the configured file host is refused before any request', async () => {
    const file = h.fake.fileHost.shareFile({ name: 'reader.opml', content: reader });
    h.fake.on('files.info', () => ({
      ok: true,
      file: {
        id: file.id,
        name: file.name,
        size: 100,
        url_private_download: 'http://127.0.0.2:9/files-pri/x/download/reader.opml',
      },
    }));
    const answered = reply('chat.postMessage', 'DUA');
    await deliver(inDm('UA', file));
    expect(await answered).toContain('Refused: reader.opml is not on http://127.0.0.1:');
    expect(file.downloads).toEqual([]);
  });

  it('too large, not OPML, or not a list file at all: a clear reason each time', async () => {
    const big = h.fake.fileHost.shareFile({ name: 'big.opml', content: reader, size: 5_000_000 });
    let answered = reply('chat.postMessage', 'DUA');
    await deliver(inDm('UA', big));
    expect(await answered).toContain('big.opml is larger than 1024 KB');
    expect(big.downloads).toEqual([]);

    const rss = h.fake.fileHost.shareFile({ name: 'feed.xml', content: '<rss version="2.0"><channel/></rss>' });
    answered = reply('chat.postMessage', 'DUA');
    await deliver(inDm('UA', rss));
    expect(await answered).toContain('feed.xml is not an OPML file: not an OPML document');

    const png = h.fake.fileHost.shareFile({ name: 'cat.png', content: 'PNG', filetype: 'png', mimetype: 'image/png' });
    answered = reply('chat.postMessage', 'DUA');
    await deliver(inDm('UA', png));
    expect(await answered).toContain('To import feeds, send an .opml or .xml file');
    expect(png.downloads).toEqual([]);
  });

  it("the bot's own upload (its export landing in the DM) is not imported back", async () => {
    const file = h.fake.fileHost.shareFile({ name: 'newsdesk-feeds.opml', content: reader });
    const posts = h.fake.callsTo('chat.postMessage').length;
    await deliver(inDm('UBOT', file, { bot_id: 'BBOT' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(file.downloads).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage').length).toBe(posts);
  });
});
