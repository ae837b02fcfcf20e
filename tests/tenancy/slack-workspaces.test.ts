import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import { postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import { SIGNING_SECRET, type Harness } from '../slack/harness.js';
import { startStoreHarness } from '../slack/store-harness.js';
import { makeInput } from '../support/articles.js';

const SECRET = 'https://t1.example/feed.xml?token=s3cret';

/** Two workspaces on the fake Slack, through Bolt over signed HTTP, an admin in each. */
describe('Slack: two workspaces, one bot', () => {
  let h: Harness;
  let stores: SqliteStores;
  let close: (() => Promise<void>) | undefined;
  let seq = 0;
  beforeAll(async () => {
    ({ h, stores, close } = await startStoreHarness({ adminUserIds: ['UA', 'UB'] }));
  }, 30_000);
  afterAll(async () => close?.());

  async function slash(text: string, teamId: string, userId: string, channelId: string): Promise<string> {
    const responseUrl = h.fake.responseUrl(`ws-${++seq}`);
    await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text, userId, responseUrl, teamId, channelId }),
    });
    const path = new URL(responseUrl).pathname;
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === path));
    return JSON.stringify(response.body);
  }

  it("workspace 1's feed and articles stay out of workspace 2", async () => {
    expect(await slash(`feeds add ${SECRET}`, 'T1', 'UA', 'C1')).toContain('Added feed');
    const { article } = await stores.articles.upsert(
      makeInput({ title: 'Wombat budget private story', origin: { kind: 'feed', feedUrl: SECRET } }),
    );
    expect(await slash('latest', 'T1', 'UA', 'C1')).toContain('Wombat');
    expect(await slash('latest', 'T2', 'UB', 'C2')).not.toContain('Wombat');
    expect(await slash('search Wombat', 'T2', 'UB', 'C2')).not.toContain(article.id);
    expect(await slash(`summary ${article.id}`, 'T2', 'UB', 'C2')).toContain(`No article with id \\"${article.id}\\"`);
    expect(await slash('feeds list', 'T2', 'UB', 'C2')).not.toContain('t1.example');
    expect(await slash(`feeds remove ${SECRET}`, 'T2', 'UB', 'C2')).toContain('No feed with id');
    expect((await stores.feeds.links(SECRET)).map((link) => link.space)).toEqual(['slack:team:T1']);
    const exported = await slash('feeds export', 'T1', 'UA', 'C1');
    expect(exported).toContain('Sent to you as newsdesk-feeds.opml');
    const uploaded = [...h.fake.fileHost.uploads.values()].map((upload) => upload.bytes?.toString('utf8') ?? '');
    expect(uploaded.join('\n')).toContain('t1.example/feed.xml?token=s3cret');
    expect(await slash('feeds export', 'T2', 'UB', 'C2')).toContain('Sent to you as newsdesk-feeds.opml');
    expect([...h.fake.fileHost.uploads.values()].at(-1)?.bytes?.toString('utf8')).not.toContain('t1.example');
  });
});
