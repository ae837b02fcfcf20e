import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/ingest/opml/parse-opml.js';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import { postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import { SIGNING_SECRET, type Harness } from '../slack/harness.js';
import { startStoreHarness } from '../slack/store-harness.js';

const TEAM = 'slack:team:T1';

/** OPML export as a real Slack file upload, through Bolt over signed HTTP, against the fake's upload flow. */
describe('Slack: feeds export uploads an OPML file', () => {
  let h: Harness;
  let stores: SqliteStores;
  let close: (() => Promise<void>) | undefined;
  let seq = 0;
  const urls = Array.from({ length: 60 }, (_, i) => `https://feeds${i}.example/news/rss.xml?edition=${i}`);
  beforeAll(async () => {
    ({ h, stores, close } = await startStoreHarness({ adminUserIds: ['UA'] }));
    for (const url of urls) await stores.feeds.add(url, { now: new Date().toISOString(), space: TEAM });
  }, 30_000);
  afterAll(async () => close?.());

  async function slash(text: string, userId = 'UA', channelId = 'C1'): Promise<Record<string, unknown>> {
    const responseUrl = h.fake.responseUrl(`export-${++seq}`);
    await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text, userId, responseUrl, teamId: 'T1', channelId }),
    });
    const path = new URL(responseUrl).pathname;
    return (await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === path))).body;
  }

  it('the whole list arrives as a file in the asker’s DM, far beyond what a message could show', async () => {
    // Every Web API answer takes about 250 ms, as Slack's do.
    h.fake.latency = { ms: 250 };
    const answer = await slash('feeds export').finally(() => {
      h.fake.latency = undefined;
    });
    expect(answer.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer)).toContain('Sent to you as newsdesk-feeds.opml in your direct messages');
    // The ephemeral answer names the file; it does not paste the list.
    expect(JSON.stringify(answer)).not.toContain('feeds0.example');
    expect(h.fake.callsTo('conversations.open').at(-1)?.params.users).toBe('UA');
    const upload = [...h.fake.fileHost.uploads.values()].at(-1);
    expect(upload?.filename).toBe('newsdesk-feeds.opml');
    expect(upload?.channel).toBe('DUA');
    const content = upload?.bytes?.toString('utf8') ?? '';
    expect(content.length).toBeGreaterThan(2_800);
    expect(Buffer.byteLength(content)).toBe(upload?.length);
    expect(
      parseOpml(content)
        .feeds.map((feed) => feed.url)
        .sort(),
    ).toEqual([...urls].sort());
  });

  it('an upload failure gets a clear ephemeral message with the list inline instead', async () => {
    h.fake.fileHost.uploadStatus = 500;
    try {
      const answer = await slash('feeds export');
      const shown = JSON.stringify(answer);
      expect(answer.response_type).toBe('ephemeral');
      expect(shown).toContain('Could not upload the file');
      expect(shown).toContain('so here it is inline');
      expect(shown).toContain('feeds0.example');
    } finally {
      h.fake.fileHost.uploadStatus = 200;
    }
    h.fake.on('conversations.open', () => ({ ok: false, error: 'missing_scope' }));
    try {
      const shown = JSON.stringify(await slash('feeds export'));
      expect(shown).toContain('Could not upload the file (missing_scope)');
      expect(shown).toContain('&lt;opml version');
    } finally {
      h.fake.on('conversations.open');
    }
  });

  it('a member who may not export gets the permission message and no upload', async () => {
    const before = h.fake.fileHost.uploads.size;
    h.fake.users.set('UM', { is_admin: false });
    expect(JSON.stringify(await slash('feeds export', 'UM'))).toContain('You need permission to manage this channel');
    expect(h.fake.fileHost.uploads.size).toBe(before);
  });
});
