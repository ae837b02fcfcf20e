import { capturingLogger as captureLogs } from '../support/logger.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLlmSummarizer } from '../../src/summarize/llm-provider.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-server.js';
import { articleFrom, seedDraft } from './seed.js';

const capturingLogger = () => captureLogs('warn');

describe('createLlmSummarizer against a fake OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  const article = articleFrom(seedDraft());

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.setMode({
      kind: 'ok',
      content: 'Netflix used generative AI in El Eternauta. The scene was made ten times faster.',
    });
  });

  const make = (extra: { timeoutMs?: number; now?: () => number } = {}) => {
    const { log, lines } = capturingLogger();
    const summarizer = createLlmSummarizer({
      baseUrl: server.baseUrl,
      apiKey: 'sk-test',
      model: 'test-model',
      log,
      ...extra,
    });
    return { summarizer, lines };
  };

  it('posts a chat completion and labels the answer as machine-written', async () => {
    const { summarizer } = make();
    const summary = await summarizer.summarize(article);
    expect(summary).toEqual({
      method: 'llm',
      sentences: ['Netflix used generative AI in El Eternauta.', 'The scene was made ten times faster.'],
    });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.authorization).toBe('Bearer sk-test');
    expect(req.body.model).toBe('test-model');
    const user = req.body.messages?.find((m) => m.role === 'user')?.content ?? '';
    expect(user).toContain(article.title);
    expect(user).toContain('Netflix has for the first time acknowledged');
    // Captions and publisher lines are not article text.
    expect(user).not.toContain('Source: Reuters');
  });

  it('caches per article id and content hash', async () => {
    const { summarizer } = make();
    await summarizer.summarize(article);
    await summarizer.summarize(article);
    expect(server.requests).toHaveLength(1);
    await summarizer.summarize({ ...article, contentHash: 'hash-2' });
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to the extractive summary on a 500', async () => {
    server.setMode({ kind: 'status', status: 500 });
    const { summarizer, lines } = make();
    expect(await summarizer.summarize(article)).toEqual(article.summary);
    expect(article.summary.method).toBe('extractive');
    expect(
      lines.some((l) => l.msg === 'LLM summary failed; using the extractive summary' && l.articleId === 'seed01'),
    ).toBe(true);
    // The API key never reaches the log.
    expect(JSON.stringify(lines)).not.toContain('sk-test');
  });

  it('falls back on malformed JSON and on an answer with no content', async () => {
    server.setMode({ kind: 'malformed' });
    expect(await make().summarizer.summarize(article)).toEqual(article.summary);
    server.setMode({ kind: 'no-content' });
    expect(await make().summarizer.summarize(article)).toEqual(article.summary);
    server.setMode({ kind: 'ok', content: '   ' });
    expect(await make().summarizer.summarize(article)).toEqual(article.summary);
  });

  it('falls back when the server does not answer before the timeout', async () => {
    server.setMode({ kind: 'hang' });
    const { summarizer, lines } = make({ timeoutMs: 150 });
    expect(await summarizer.summarize(article)).toEqual(article.summary);
    expect(lines.some((l) => String((l.err as { message?: string } | undefined)?.message).includes('timed out'))).toBe(
      true,
    );
  });

  it('does not retry a failed article until the cooldown has passed, then recovers', async () => {
    let clock = 1_000_000;
    server.setMode({ kind: 'status', status: 503 });
    const { summarizer } = make({ now: () => clock });
    expect((await summarizer.summarize(article)).method).toBe('extractive');
    expect((await summarizer.summarize(article)).method).toBe('extractive');
    expect(server.requests).toHaveLength(1);
    server.setMode({ kind: 'ok', content: 'Back again.' });
    clock += 61_000;
    expect(await summarizer.summarize(article)).toEqual({ method: 'llm', sentences: ['Back again.'] });
    expect(server.requests).toHaveLength(2);
  });
});
