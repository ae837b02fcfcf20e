import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/domain/invocation.js';
import type { ArticleCard, Reply } from '../../src/domain/reply.js';
import { blockActionBody, postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

const cards: ArticleCard[] = [
  {
    id: 'bridge1',
    title: 'Council approves new bridge',
    url: 'https://example.com/bridge',
    sourceName: 'Reuters',
    description: 'The vote was 7 to 2.',
  },
  { id: 'rates22', title: 'Bank holds rates', sourceName: 'AP', description: 'No change this month.' },
];

/** Stands in for the command layer: records what the adapter hands it and answers by subcommand. */
const invocations: Invocation[] = [];
function gate() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
let slowGate = gate();
async function execute(inv: Invocation): Promise<Reply> {
  invocations.push(inv);
  const card = cards.find((candidate) => candidate.id === inv.args.id) ?? cards[0]!;
  switch (inv.sub) {
    case 'latest':
      return { kind: 'articles', heading: 'Latest news', cards, actions: ['summary', 'sources'] };
    case 'search':
      return {
        kind: 'articles',
        heading: `Search: ${inv.args.query}`,
        cards: [cards[0]!],
        actions: ['summary', 'sources'],
      };
    case 'summary':
      return {
        kind: 'summary',
        article: card,
        sentences: ['The council voted for the bridge.', 'Work starts in June.'],
        machineWritten: false,
      };
    case 'sources':
      return {
        kind: 'sources',
        article: card,
        sources: [
          { name: 'Reuters', kinds: ['publisher'], evidence: [{ kind: 'publisher', text: 'Source: Reuters' }] },
        ],
      };
    case 'slow':
      await slowGate.promise;
      return { kind: 'text', tone: 'info', text: 'finally done' };
    case 'boom':
      throw new Error('database exploded');
    default:
      return { kind: 'text', tone: 'error', text: `Unknown command "${inv.sub}".`, ephemeral: true };
  }
}

let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness({ execute, adminUserIds: ['UADMIN'] });
  h.fake.users.set('U111', { name: 'reader' });
  h.fake.users.set('UOWNER', { is_owner: true });
});
afterAll(async () => h.close());
beforeEach(() => {
  invocations.length = 0;
});

/** Sends `/news <text>` and waits for the answer on its response_url. */
async function slash(text: string, userId = 'U111') {
  const responseUrl = h.fake.responseUrl(`cmd-${++seq}`);
  const ack = await postSigned(h.eventsUrl, {
    signingSecret: SIGNING_SECRET,
    rawBody: slashCommandBody({ text, userId, responseUrl }),
  });
  const path = new URL(responseUrl).pathname;
  const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === path));
  return {
    ack,
    body: response.body as {
      response_type?: string;
      text?: string;
      blocks?: { type: string; elements?: { action_id: string; value: string }[] }[];
      replace_original?: boolean;
    },
  };
}

async function click(actionId: string, value: string, userId = 'U111') {
  const responseUrl = h.fake.responseUrl(`act-${++seq}`);
  const ack = await postSigned(h.eventsUrl, {
    signingSecret: SIGNING_SECRET,
    rawBody: blockActionBody({ actionId, value, responseUrl, userId }),
  });
  const path = new URL(responseUrl).pathname;
  return { ack, path };
}

function buttons(blocks: { type: string; elements?: { action_id: string; value: string }[] }[] = []) {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
}

describe('Slack /news over HTTP, end to end through Bolt', () => {
  it('latest: acks with an empty 200, then answers ephemerally with Summary, Sources and Post to channel buttons', async () => {
    const { ack, body } = await slash('latest 2');
    expect(ack).toEqual({ status: 200, body: '' });
    expect(invocations).toEqual([
      {
        command: 'news',
        sub: 'latest',
        args: { count: '2' },
        user: { platform: 'slack', id: 'U111', name: 'reader', canManage: false },
        channel: 'slack:C111',
        space: 'slack:team:T111',
        typed: true,
      },
    ]);
    expect(body.response_type).toBe('ephemeral');
    const ids = buttons(body.blocks).map((button) => `${button.action_id}:${button.value}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'news_summary:bridge1',
        'news_sources:bridge1',
        'news_summary:rates22',
        'news_sources:rates22',
      ]),
    );
    expect(ids.at(-1)).toBe('news_post:{"sub":"latest","args":{"count":"2"}}');
    expect(h.fake.callsTo('users.info').some((call) => call.params.user === 'U111')).toBe(true);
  });

  it('summary and sources parse the id; search takes the rest of the line', async () => {
    const summary = await slash('summary bridge1');
    expect(invocations[0]).toMatchObject({ sub: 'summary', args: { id: 'bridge1' } });
    expect(JSON.stringify(summary.body.blocks)).toContain('• The council voted for the bridge.');

    const sources = await slash('sources rates22');
    expect(invocations[1]).toMatchObject({ sub: 'sources', args: { id: 'rates22' } });
    expect(JSON.stringify(sources.body.blocks)).toContain('*Reuters* (publisher)');

    const search = await slash('search new  bridge vote');
    expect(invocations[2]).toMatchObject({ sub: 'search', args: { query: 'new bridge vote' } });
    expect(search.body.blocks?.[0]).toMatchObject({ type: 'header', text: { text: 'Search: new bridge vote' } });
  });

  it('canManage comes from SLACK_ADMIN_USER_IDS or from users.info is_admin / is_owner', async () => {
    const infoCalls = h.fake.callsTo('users.info').length;
    await slash('latest', 'UADMIN');
    expect(invocations.at(-1)?.user.canManage).toBe(true);
    expect(h.fake.callsTo('users.info')).toHaveLength(infoCalls);
    await slash('latest', 'UOWNER');
    expect(invocations.at(-1)?.user.canManage).toBe(true);
  });

  it('acks before the command has finished, and answers once it has', async () => {
    slowGate = gate();
    const responseUrl = h.fake.responseUrl('slow');
    const ack = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text: 'slow', responseUrl }),
    });
    expect(ack.status).toBe(200);
    expect(invocations.map((inv) => inv.sub)).toEqual(['slow']);
    expect(h.fake.responses.some((entry) => entry.path === '/response/slow')).toBe(false);
    slowGate.resolve();
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === '/response/slow'));
    expect(JSON.stringify(response.body)).toContain('finally done');
  });

  it('an unknown subcommand and a failing command answer with an ephemeral error and no share button', async () => {
    const unknown = await slash('frobnicate now');
    expect(unknown.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(unknown.body.blocks)).toContain(':warning:');
    expect(buttons(unknown.body.blocks)).toHaveLength(0);

    const failing = await slash('boom');
    expect(JSON.stringify(failing.body.blocks)).toContain('Something went wrong on our side');
    expect(JSON.stringify(failing.body)).not.toContain('database exploded');
  });

  it('the Summary button answers through response_url as a new ephemeral message', async () => {
    const { ack, path } = await click('news_summary', 'rates22');
    expect(ack.status).toBe(200);
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === path));
    expect(invocations).toEqual([
      {
        command: 'news',
        sub: 'summary',
        args: { id: 'rates22' },
        user: { platform: 'slack', id: 'U111', name: 'reader', canManage: false },
        channel: 'slack:C111',
        space: 'slack:team:T111',
      },
    ]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(response.body)).toContain('Bank holds rates');
  });

  it('the Sources button answers through response_url', async () => {
    const { path } = await click('news_sources', 'bridge1');
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === path));
    expect(invocations[0]).toMatchObject({ sub: 'sources', args: { id: 'bridge1' } });
    expect(JSON.stringify(response.body)).toContain('Sources: Council approves new bridge');
  });

  it('Post to channel re-runs the command as the clicker, posts in_channel and removes the ephemeral', async () => {
    const { path } = await click('news_post', '{"sub":"latest","args":{"count":"2"}}', 'UOWNER');
    const [shared, removed] = await h.fake.waitFor(() => {
      const both = h.fake.responses.filter((entry) => entry.path === path);
      return both.length >= 2 ? both : undefined;
    });
    expect(invocations[0]).toMatchObject({
      sub: 'latest',
      args: { count: '2' },
      user: { id: 'UOWNER', canManage: true },
    });
    expect(shared!.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(buttons(shared!.body.blocks as never).map((button) => button.action_id)).not.toContain('news_post');
    expect(removed!.body).toEqual({ delete_original: true });
  });

  it('a forged signature gets 401 and the handler never runs', async () => {
    const responseUrl = h.fake.responseUrl('forged');
    const result = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text: 'latest', responseUrl }),
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(result.status).toBe(401);
    expect(h.lines.some((line) => String(line.msg).includes('signature mismatch'))).toBe(true);
    // A correctly signed request sent afterwards is answered, so the forged one would have been by now.
    await slash('latest');
    expect(invocations).toHaveLength(1);
    expect(h.fake.responses.some((entry) => entry.path.endsWith('/forged'))).toBe(false);
  });

  it('a body signed with another secret gets 401', async () => {
    const result = await postSigned(h.eventsUrl, {
      signingSecret: 'not-our-secret',
      rawBody: slashCommandBody({ text: 'latest', responseUrl: h.fake.responseUrl('x') }),
    });
    expect(result.status).toBe(401);
    expect(invocations).toHaveLength(0);
  });

  it('a correctly signed request with a timestamp six minutes old gets 401', async () => {
    const result = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text: 'latest', responseUrl: h.fake.responseUrl('stale') }),
      timestamp: Math.floor(Date.now() / 1000) - 360,
    });
    expect(result.status).toBe(401);
    await slash('latest');
    expect(invocations).toHaveLength(1);
    expect(h.fake.responses.some((entry) => entry.path.endsWith('/stale'))).toBe(false);
  });

  it('answers url_verification and ssl_check on the shared server', async () => {
    const challenge = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' }),
      contentType: 'application/json',
    });
    expect(challenge).toEqual({ status: 200, body: '{"challenge":"abc123"}' });
    const ssl = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ssl_check=1&token=x',
    });
    expect(ssl.status).toBe(200);
    expect(invocations).toHaveLength(0);
  });
});
