import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../commands/execute.js';
import { emptyFilter } from '../../src/domain/subscription.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { postSigned } from '../fakes/slack/sign.js';
import { capturingLogger } from '../support/logger.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.join(projectRoot, 'articles', '000_319d06ae78c2c892.txt');
const NOW = '2025-07-20T00:00:00.000Z';

let dir: string;
let stores: SqliteStores;
let h: Harness;
let seedId: string;
let seq = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-slack-thread-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  const draft = parseArticleFile({ path: seedPath, bytes: readFileSync(seedPath), timeZone: 'UTC' });
  seedId = (await stores.articles.upsert(enrichDraft(draft), '2025-07-19T00:00:00.000Z')).article.id;
  const base = { filter: emptyFilter(), digest: 0, paused: false, origin: 'command' as const, createdAt: NOW };
  await stores.subscriptions.putSubscription({
    ...base,
    channel: 'slack:C111',
    space: 'slack:team:T111',
    presentation: { thread: true },
  });
  await stores.subscriptions.putSubscription({ ...base, channel: 'slack:C333', space: 'slack:team:T111' });
  const { log } = capturingLogger();
  h = await startHarness({ stores, execute: createExecutor({ stores, log, now: () => NOW }) });
  // Slack answers in about 100 ms; users.info and views.publish wait for it like everything else.
  h.fake.latency = { ms: 100 };
});
afterAll(async () => {
  await h?.close();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A button on a message in a channel: the scheduled post (ts) or a reply in its thread (threadTs). */
function postButton(fields: {
  actionId: string;
  channel: string;
  ts: string;
  threadTs?: string;
  ephemeral?: boolean;
  responseUrl: string;
}): string {
  const payload = {
    type: 'block_actions',
    user: { id: 'U111', username: 'reader', name: 'reader', team_id: 'T111' },
    api_app_id: 'A111',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: fields.ts,
      channel_id: fields.channel,
      is_ephemeral: fields.ephemeral ?? false,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    },
    trigger_id: '111.222.valid',
    team: { id: 'T111', domain: 'fake' },
    channel: { id: fields.channel, name: 'news' },
    ...(fields.ephemeral
      ? {}
      : { message: { type: 'message', ts: fields.ts, ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}) } }),
    response_url: fields.responseUrl,
    actions: [{ action_id: fields.actionId, block_id: 'b1', value: seedId, type: 'button', action_ts: '1.2' }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function press(fields: Omit<Parameters<typeof postButton>[0], 'responseUrl'>) {
  const responseUrl = h.fake.responseUrl(`thread-${++seq}`);
  const posts = h.fake.callsTo('chat.postMessage').length;
  const ack = await postSigned(h.eventsUrl, {
    signingSecret: SIGNING_SECRET,
    rawBody: postButton({ ...fields, responseUrl }),
  });
  expect(ack.status).toBe(200);
  const pathname = new URL(responseUrl).pathname;
  const answer = await h.fake.waitFor(
    () =>
      h.fake.callsTo('chat.postMessage').slice(posts)[0] ?? h.fake.responses.find((entry) => entry.path === pathname),
  );
  // Whichever came first, give the other path time to show up if the code wrongly used both.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    threadPosts: h.fake.callsTo('chat.postMessage').slice(posts),
    ephemeral: h.fake.responses.filter((entry) => entry.path === pathname),
    first: answer,
    pathname,
  };
}

describe('Slack thread=on: a post’s buttons answer in its thread', () => {
  it('Summary on a post in a thread=on channel is posted in that post’s thread, not ephemerally', async () => {
    const { threadPosts, ephemeral } = await press({
      actionId: 'news_summary',
      channel: 'C111',
      ts: '1700000001.000100',
    });
    expect(ephemeral).toEqual([]);
    expect(threadPosts).toHaveLength(1);
    const params = threadPosts[0]!.params;
    expect(params.channel).toBe('C111');
    expect(params.thread_ts).toBe('1700000001.000100');
    expect(String(params.text)).toContain('Summary: Netflix has given up on neural networks');
    expect(JSON.stringify(params.blocks)).toContain('"action_id":"news_sources"');
    expect(params.link_names).toBe('false');
  });

  it('Sources pressed on the summary inside the thread answers in the same thread', async () => {
    const { threadPosts } = await press({
      actionId: 'news_sources',
      channel: 'C111',
      ts: '1700000009.000100',
      threadTs: '1700000001.000100',
    });
    expect(threadPosts).toHaveLength(1);
    expect(threadPosts[0]!.params.thread_ts).toBe('1700000001.000100');
    expect(String(threadPosts[0]!.params.text)).toContain('Sources:');
  });

  it('a second Summary click on the same post answers ephemerally: the thread has it already', async () => {
    const { threadPosts, ephemeral } = await press({
      actionId: 'news_summary',
      channel: 'C111',
      ts: '1700000001.000100',
    });
    expect(threadPosts).toEqual([]);
    expect(ephemeral).toHaveLength(1);
    expect(JSON.stringify(ephemeral[0]!.body)).toContain('Netflix has given up on neural networks');
  });

  it('a channel without thread=on still answers ephemerally', async () => {
    const { threadPosts, ephemeral } = await press({
      actionId: 'news_summary',
      channel: 'C333',
      ts: '1700000002.000100',
    });
    expect(threadPosts).toEqual([]);
    expect(ephemeral).toHaveLength(1);
    expect(ephemeral[0]!.body.response_type).toBe('ephemeral');
  });

  it('a button on an ephemeral reply stays ephemeral, even in a thread=on channel', async () => {
    const { threadPosts, ephemeral } = await press({
      actionId: 'news_summary',
      channel: 'C111',
      ts: '1700000003.000100',
      ephemeral: true,
    });
    expect(threadPosts).toEqual([]);
    expect(ephemeral).toHaveLength(1);
  });

  it('when Slack refuses the thread post, the clicker still gets the answer ephemerally', async () => {
    h.fake.on('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    try {
      const { threadPosts, pathname } = await press({
        actionId: 'news_summary',
        channel: 'C111',
        ts: '1700000004.000100',
      });
      expect(threadPosts).toHaveLength(1);
      // The refusal takes a round trip of its own before the ephemeral answer goes out.
      await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === pathname));
      const ephemeral = h.fake.responses.filter((entry) => entry.path === pathname);
      expect(ephemeral).toHaveLength(1);
      expect(JSON.stringify(ephemeral[0]!.body)).toContain('Netflix has given up on neural networks');
      expect(h.lines.some((line) => line.msg === 'slack thread answer failed; answering ephemerally')).toBe(true);
    } finally {
      h.fake.on('chat.postMessage');
    }
  });
});
