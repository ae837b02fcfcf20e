import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../commands/execute.js';
import type { ChannelId } from '../../src/domain/channel.js';
import { emptyFilter, type Subscription } from '../../src/domain/subscription.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { capturingLogger } from '../support/logger.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.join(projectRoot, 'articles', '000_319d06ae78c2c892.txt');
const NOW = '2025-07-20T00:00:00.000Z';

let dir: string;
let stores: SqliteStores;
let h: Harness;
let seedId: string;

function subscription(channel: ChannelId, team: string, over: Partial<Subscription> = {}): Subscription {
  return {
    channel,
    space: `slack:team:${team}`,
    filter: emptyFilter(),
    digest: 0,
    paused: false,
    origin: 'command',
    createdAt: NOW,
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-slack-home-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  const draft = parseArticleFile({ path: seedPath, bytes: readFileSync(seedPath), timeZone: 'UTC' });
  seedId = (await stores.articles.upsert(enrichDraft(draft), '2025-07-19T00:00:00.000Z')).article.id;
  await stores.subscriptions.putSubscription(
    subscription('slack:C111', 'T111', { schedule: '0 9 * * 1-5', timezone: 'Europe/Berlin' }),
  );
  // Stored filter text is the user's: it must come out escaped, never as a broadcast.
  await stores.subscriptions.putSubscription(
    subscription('slack:C222', 'T111', { filter: { ...emptyFilter(), include: ['<!here> ai'] }, digest: 5 }),
  );
  await stores.subscriptions.putSubscription(subscription('slack:C999', 'T222'));
  await stores.feeds.add('https://wire.example/feed.xml', { now: NOW, space: 'slack:team:T111', addedBy: 'U1' });
  await stores.feeds.update('https://wire.example/feed.xml', { title: 'Wire <!channel> & friends' });
  await stores.feeds.add('https://operator.example/rss?token=secret', { now: NOW });
  await stores.feeds.add('https://other.example/feed', { now: NOW, space: 'slack:team:T222' });
  // C222 has one failed post, so retry has something to do.
  await stores.deliveries.enqueue(seedId, ['slack:C222'], NOW);
  await stores.deliveries.markFailed(seedId, 'slack:C222', 'not_in_channel', NOW);
  const { log } = capturingLogger();
  h = await startHarness({ stores, execute: createExecutor({ stores, log, now: () => NOW }), adminUserIds: [] });
  h.fake.users.set('UADMIN', { is_admin: true, name: 'admin' });
  // Slack answers in about 100 ms; users.info and views.publish wait for it like everything else.
  h.fake.latency = { ms: 100 };
  h.fake.users.set('UMEMBER', { name: 'member' });
});
afterAll(async () => {
  await h?.close();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function published(user: string, action: () => Promise<{ status: number }>) {
  const before = h.fake.callsTo('views.publish').length;
  const ack = await action();
  expect(ack.status).toBe(200);
  const call = await h.fake.waitFor(() => h.fake.callsTo('views.publish').slice(before)[0]);
  expect(call.params.user_id).toBe(user);
  const view = h.fake.homeViews.get(user);
  expect(view).toBeDefined();
  return { view: view!, text: JSON.stringify(view!.blocks) };
}

const open = (user: string, team = 'T111') =>
  published(user, () => h.fake.openHome(h.eventsUrl, SIGNING_SECRET, { userId: user, teamId: team }));
const click = (user: string, action: string, value: string, team = 'T111') =>
  published(user, () =>
    h.fake.clickHome(h.eventsUrl, SIGNING_SECRET, { userId: user, teamId: team, actionId: action, value }),
  );

const actionIds = (blocks: unknown[]) =>
  (blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[])
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block.elements ?? []).map((element) => `${element.action_id}=${element.value}`));

describe('Slack App Home through real Bolt and signed events', () => {
  it("a member sees the workspace's two subscriptions and its feeds, escaped, without buttons", async () => {
    const { view, text } = await open('UMEMBER');
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(text).toContain('<#C111>');
    expect(text).toContain('<#C222>');
    expect(text).not.toContain('C999');
    expect(text).toContain('`0 9 * * 1-5` (Europe/Berlin)');
    expect(text).toContain('digest of up to 5');
    expect(text).toContain('failures: 1, last: not_in_channel');
    expect(text).toContain('Subscriptions (2)');
    expect(text).toContain('Wire &lt;!channel&gt; &amp; friends');
    expect(text).toContain('&lt;!here&gt; ai');
    expect(text).not.toMatch(/<!(channel|here)/);
    // The operator's feed, read-only and without its token; the other workspace's feed not at all.
    expect(text).toContain('From the operator');
    expect(text).toContain('https://operator.example/rss');
    expect(text).not.toContain('token=secret');
    expect(text).not.toContain('other.example');
    expect(actionIds(view.blocks)).toEqual([]);
  });

  it('a manager sees pause per subscription and retry where posts failed', async () => {
    const { view } = await open('UADMIN');
    expect(actionIds(view.blocks)).toEqual(['home_pause=slack:C111', 'home_pause=slack:C222', 'home_retry=slack:C222']);
  });

  it('the Messages tab publishes nothing', async () => {
    const before = h.fake.callsTo('views.publish').length;
    const ack = await h.fake.openHome(h.eventsUrl, SIGNING_SECRET, {
      userId: 'UADMIN',
      teamId: 'T111',
      tab: 'messages',
    });
    expect(ack.status).toBe(200);
    // A Home open after it is answered; had the Messages tab published too, we would see two.
    await open('UADMIN');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.fake.callsTo('views.publish').length).toBe(before + 1);
  });

  it("a member's forged pause click is refused, changes nothing and says so", async () => {
    const { text } = await click('UMEMBER', 'home_pause', 'slack:C111');
    expect((await stores.subscriptions.getSubscription('slack:C111'))?.paused).toBe(false);
    expect(text).toContain('Only workspace admins and owners may pause a subscription. Nothing changed.');
  });

  it("another workspace's subscription is refused, even for a manager", async () => {
    const { text } = await click('UADMIN', 'home_pause', 'slack:C999');
    expect((await stores.subscriptions.getSubscription('slack:C999'))?.paused).toBe(false);
    expect(text).toContain('not one of this workspace. Nothing changed.');
    // Clicking from inside the other workspace is refused the same way for a subscription of this one.
    const other = await click('UADMIN', 'home_resume', 'slack:C111', 'T222');
    expect(other.text).toContain('not one of this workspace');
  });

  it('a manager pauses, sees the view re-published with Resume, then resumes', async () => {
    const paused = await click('UADMIN', 'home_pause', 'slack:C111');
    expect((await stores.subscriptions.getSubscription('slack:C111'))?.paused).toBe(true);
    expect(paused.text).toContain('slack:C111: Paused.');
    expect(paused.text).toContain('*paused*');
    expect(actionIds(paused.view.blocks)).toContain('home_resume=slack:C111');
    const resumed = await click('UADMIN', 'home_resume', 'slack:C111');
    expect((await stores.subscriptions.getSubscription('slack:C111'))?.paused).toBe(false);
    expect(resumed.text).toContain('slack:C111: Resumed.');
  });

  it('retry sends the failed posts again through the retry command', async () => {
    const { text, view } = await click('UADMIN', 'home_retry', 'slack:C222');
    const status = await stores.deliveries.channelStatus('slack:C222', 5);
    expect(status.failed).toEqual([]);
    expect(status.pending).toBe(1);
    expect(text).toContain('1 failed post will be sent again');
    expect(actionIds(view.blocks)).not.toContain('home_retry=slack:C222');
  });

  it('the fake refuses what Slack refuses: over 100 blocks, or a view that is not a home view', async () => {
    const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } });
    const section = { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } };
    await expect(
      client.views.publish({
        user_id: 'UX',
        view: { type: 'home', blocks: Array.from({ length: 101 }, () => section) },
      }),
    ).rejects.toThrow(/invalid_blocks/);
    await expect(
      client.views.publish({ user_id: 'UX', view: { type: 'modal', blocks: [section] } as never }),
    ).rejects.toThrow(/invalid_arguments/);
    expect(h.fake.homeViews.has('UX')).toBe(false);
    await client.views.publish({
      user_id: 'UX',
      view: { type: 'home', blocks: Array.from({ length: 100 }, () => section) },
    });
    expect(h.fake.homeViews.get('UX')?.blocks).toHaveLength(100);
  });

  it('a Home click with a bad signature is rejected before any listener', async () => {
    const { postSigned } = await import('../fakes/slack/sign.js');
    const { homeActionBody } = await import('../fakes/slack/home-events.js');
    const rawBody = homeActionBody({ userId: 'UADMIN', teamId: 'T111', actionId: 'home_pause', value: 'slack:C111' });
    const ack = await postSigned(h.eventsUrl, { signingSecret: 'wrong-secret', rawBody });
    expect(ack.status).toBe(401);
    expect((await stores.subscriptions.getSubscription('slack:C111'))?.paused).toBe(false);
  });
});
