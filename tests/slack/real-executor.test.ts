import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postReply } from '../../src/domain/cards.js';
import { createExecutor } from '../../commands/execute.js';
import type { Article } from '../../src/domain/article.js';
import { createHttpServer } from '../../src/http/server.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { postSigned, slashCommandBody, blockActionBody } from '../fakes/slack/sign.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { capturingLogger } from '../support/logger.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.join(projectRoot, 'articles', '000_319d06ae78c2c892.txt');

let dir: string;
let stores: SqliteStores;
let seed: Article;
let h: Harness;
let seq = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-slack-real-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  const draft = parseArticleFile({ path: seedPath, bytes: readFileSync(seedPath), timeZone: 'UTC' });
  seed = (await stores.articles.upsert(enrichDraft(draft), '2025-07-19T00:00:00.000Z')).article;
  const { log } = capturingLogger();
  h = await startHarness({ stores, execute: createExecutor({ stores, log, now: () => '2025-07-20T00:00:00.000Z' }) });
});
afterAll(async () => {
  await h.close();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function slash(text: string): Promise<string> {
  const responseUrl = h.fake.responseUrl(`real-${++seq}`);
  const ack = await postSigned(h.eventsUrl, {
    signingSecret: SIGNING_SECRET,
    rawBody: slashCommandBody({ text, responseUrl }),
  });
  expect(ack.status).toBe(200);
  const response = await h.fake.waitFor(() =>
    h.fake.responses.find((entry) => entry.path === new URL(responseUrl).pathname),
  );
  return JSON.stringify(response.body);
}

describe('Slack through the real executor, a temp SQLite store and the seed article', () => {
  it('latest lists the seed article with its Summary and Sources buttons', async () => {
    const body = await slash('latest');
    expect(body).toContain('Netflix has given up on neural networks');
    expect(body).toContain(`"action_id":"news_summary","value":"${seed.id}"`);
    expect(body).toContain(`"action_id":"news_sources","value":"${seed.id}"`);
  });

  it('summary <id> shows the stored summary sentences', async () => {
    const body = await slash(`summary ${seed.id}`);
    expect(body).toContain('• Netflix has for the first time acknowledged the use of generative AI');
    expect(body).toContain('Ted Sarandos');
  });

  it('sources <id> lists Reuters, Netflix and Ted Sarandos', async () => {
    const body = await slash(`sources ${seed.id}`);
    for (const name of ['*Reuters*', '*Netflix*', '*Ted Sarandos*']) expect(body).toContain(name);
  });

  it('search finds the seed article; an unknown id gets an ephemeral error', async () => {
    expect(await slash('search eternauta')).toContain(seed.id);
    const missing = await slash('summary nosuchid');
    expect(missing).toContain('No article with id');
    expect(missing).toContain('"response_type":"ephemeral"');
  });

  it('the Sources button on a result runs the real sources command', async () => {
    const responseUrl = h.fake.responseUrl(`real-btn-${++seq}`);
    await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: blockActionBody({ actionId: 'news_sources', value: seed.id, responseUrl }),
    });
    const response = await h.fake.waitFor(() =>
      h.fake.responses.find((entry) => entry.path === new URL(responseUrl).pathname),
    );
    expect(JSON.stringify(response.body)).toContain('*Ted Sarandos*');
  });

  it('a scheduled post of the seed is found again by a restarted adapter instead of being posted twice', async () => {
    const posted = await h.adapter.post('slack:C777', postReply(seed), {
      articleId: seed.id,
      nonce: `${seed.id}:slack:C777`,
    });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);

    // A second process, as after a crash: new server, new Bolt app, same Slack.
    const { log } = capturingLogger();
    const http = createHttpServer({ log });
    await http.listen(0, '127.0.0.1');
    const restarted = createSlackAdapter({
      botToken: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      apiUrl: h.fake.apiUrl,
      http,
      adminUserIds: [],
      stores,
      log,
      execute: async () => ({ kind: 'text', tone: 'info', text: 'unused' }),
    });
    try {
      await restarted.start();
      expect(await restarted.findPosted!('slack:C777', { articleId: seed.id, nonce: `${seed.id}:slack:C777` })).toEqual(
        posted,
      );
      expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    } finally {
      await restarted.stop();
      await http.close();
    }
  });
});
