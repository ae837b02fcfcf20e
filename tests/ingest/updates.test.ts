import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Reply } from '../../src/domain/reply.js';
import { startFakeOpenAiServer } from '../fakes/openai-server.js';
import { openTestApp, recordingPlatform } from '../support/app.js';
import { seedPath, tempDir } from '../support/paths.js';
import { invocation } from '../support/runtime.js';

const titleOf = (reply: Reply) => (reply.kind === 'articles' ? reply.cards[0]?.title : undefined);

describe('an edited article file', () => {
  let dir: string;
  let cleanup: () => void;
  let runtime: App;
  let file: string;
  // What the terminal adapter would have printed, recorded; the bot's own articles folder stays empty.
  let recorder: ReturnType<typeof recordingPlatform>;
  const start = async (onUpdate: string) => {
    recorder = recordingPlatform();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'n.db')}`, ARTICLES_DIR: join(dir, 'none'), ON_UPDATE: onUpdate };
    runtime = await openTestApp(env, { platforms: [recorder.descriptor] });
  };
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    file = join(dir, 'seed.txt');
    copyFileSync(seedPath, file);
  });
  afterEach(async () => {
    await runtime.stop('test done');
    cleanup();
  });

  it('keeps its id when the body or even the title changes, and the posted message is edited', async () => {
    await start('edit');
    await runtime.ingester.ingestPath(dir);
    const [original] = await runtime.stores.articles.latest(1);
    await runtime.dispatcher.tick();
    expect(recorder.posts).toHaveLength(1);

    writeFileSync(file, readFileSync(file, 'utf8').replace('supporting tool', 'supporting tool, for now'));
    expect(await runtime.ingester.ingestPath(file)).toMatchObject({ new: 0, updated: 1 });
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Netflix has given up on neural networks', 'Netflix embraces neural networks'),
    );
    expect(await runtime.ingester.ingestPath(file)).toMatchObject({ new: 0, updated: 1 });

    const [edited] = await runtime.stores.articles.latest(1);
    expect(await runtime.stores.articles.count()).toBe(1);
    expect(edited).toMatchObject({ id: original!.id, firstSeenAt: original!.firstSeenAt });
    expect(edited!.title).toMatch(/^Netflix embraces neural networks/);
    expect(recorder.edits.map((edit) => [edit.channel, edit.messageId, titleOf(edit.reply)])).toEqual([
      ['console:main', 'm1', original!.title],
      ['console:main', 'm1', edited!.title],
    ]);
    expect(await runtime.stores.articles.pendingOutbox(10)).toEqual([]);
  });

  it('leaves a digest message as it is: one changed article never replaces the others in it', async () => {
    await start('edit');
    copyFileSync(join(seedPath, '../sample-02-solar-ferry.txt'), join(dir, 'ferry.txt'));
    const subscribed = await runtime.execute(
      invocation('subscribe', { digest: '5' }, { user: { platform: 'console', id: 'u1', canManage: true } }),
    );
    expect(subscribed.kind).not.toBe('error');
    await runtime.ingester.ingestPath(dir);
    await runtime.dispatcher.tick();
    expect(recorder.posts).toHaveLength(1);
    expect(recorder.posts[0]!.reply.kind).toBe('articles');

    writeFileSync(file, readFileSync(file, 'utf8').replace('supporting tool', 'supporting tool, for now'));
    expect(await runtime.ingester.ingestPath(file)).toMatchObject({ new: 0, updated: 1 });
    expect(recorder.edits).toEqual([]);
    expect(await runtime.stores.articles.pendingOutbox(10)).toEqual([]);
  });

  it.each([
    ['repost', 2],
    ['ignore', 1],
  ] as const)(
    'with ON_UPDATE=%s, the changed article is posted %i time(s) and never edited',
    async (onUpdate, posts) => {
      await start(onUpdate);
      await runtime.ingester.ingestPath(dir);
      const { dispatcher } = runtime;
      await dispatcher.tick();
      writeFileSync(file, readFileSync(file, 'utf8').replace('supporting tool', 'supporting tool, for now'));
      await runtime.ingester.ingestPath(file);
      await dispatcher.tick();
      expect(recorder.posts).toHaveLength(posts);
      expect(recorder.edits).toEqual([]);
    },
  );
});

describe('LLM summaries through /news summary', () => {
  it('are labelled machine-written, and fall back to the extractive summary when the model fails', async () => {
    const fake = await startFakeOpenAiServer({
      kind: 'ok',
      content: 'Netflix used generative AI for a building collapse in El Eternauta. Writers are worried.',
    });
    const { dir, cleanup } = tempDir();
    copyFileSync(seedPath, join(dir, 'seed.txt'));
    const runtime = await openTestApp(
      {
        DATABASE_URL: `sqlite:${join(dir, 'n.db')}`,
        ARTICLES_DIR: dir,
        SUMMARY_PROVIDER: 'openai',
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: 'test-key-123456',
      },
      { mode: 'once' },
    );
    try {
      await runtime.ingester.ingestPath(dir);
      const [seed] = await runtime.stores.articles.latest(1);
      const llm = await runtime.execute(invocation('summary', { id: seed!.id }));
      expect(llm).toMatchObject({
        kind: 'summary',
        machineWritten: true,
        sentences: ['Netflix used generative AI for a building collapse in El Eternauta.', 'Writers are worried.'],
      });
      expect(fake.requests[0]?.authorization).toBe('Bearer test-key-123456');

      fake.setMode({ kind: 'status', status: 500 });
      const other = await runtime.stores.articles.upsert({
        ...seed!,
        key: 'other',
        title: 'Another story',
        contentHash: 'x',
      });
      const fallback = await runtime.execute(invocation('summary', { id: other.article.id }));
      expect(fallback).toMatchObject({ kind: 'summary', machineWritten: false, sentences: seed!.summary.sentences });
      const sources = await runtime.execute(invocation('sources', { id: seed!.id }));
      expect(sources).toMatchObject({ kind: 'sources', sources: seed!.sources });
    } finally {
      await runtime.stop('test done');
      await fake.close();
      cleanup();
    }
  });
});
