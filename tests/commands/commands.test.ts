import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/domain/reply.js';
import { commands } from '../../commands/index.js';
import { parseCommandText } from '../../commands/parse-text.js';
import { invocation, seededRuntime } from '../support/runtime.js';

type Runtime = Awaited<ReturnType<typeof seededRuntime>>;
let runtime: Runtime;
beforeAll(async () => {
  runtime = await seededRuntime();
});
afterAll(async () => runtime.cleanup());

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  expect(reply.kind).toBe(kind);
  return reply as Extract<Reply, { kind: K }>;
}

describe('/news latest', () => {
  it('lists the seed with its id, source and date', async () => {
    const reply = expectKind(await runtime.execute(invocation('latest')), 'articles');
    expect(reply.cards).toHaveLength(1);
    expect(reply.cards[0]).toMatchObject({
      id: runtime.seedId,
      sourceName: 'Reuters',
      published: '2025-07-18T15:55:00.000Z',
      author: 'Russell Thompson',
    });
    expect(reply.actions).toEqual(['summary', 'sources']);
  });

  it('refuses a count outside 1 to 10 with the usage', async () => {
    const reply = expectKind(await runtime.execute(invocation('latest', { count: '11' })), 'text');
    expect(reply).toMatchObject({ tone: 'error', ephemeral: true });
    expect(reply.text).toBe('count must be at most 10. Usage: /news latest [count]');
    expect(expectKind(await runtime.execute(invocation('latest', { count: 'many' })), 'text').text).toMatch(
      /count must be a whole number/,
    );
  });
});

describe('/news summary and /news sources', () => {
  it('summarises the seed in whole sentences from the body', async () => {
    const reply = expectKind(await runtime.execute(invocation('summary', { id: runtime.seedId })), 'summary');
    expect(reply.sentences.length).toBe(3);
    for (const sentence of reply.sentences) expect(sentence).toMatch(/[.!?"”]$/);
    expect(reply.sentences.join(' ')).not.toMatch(
      /Russell Thompson|Source:|Here's What We Know|a new word in production processes/,
    );
    expect(reply.machineWritten).toBe(false);
    expect(reply.article.title).toMatch(/^Netflix has given up/);
    // The seed is an article file, not a feed item: its basis line says so.
    expect(reply.basis).toBe('From the article file');
  });

  it('lists the sources the parser and extractor found', async () => {
    const reply = expectKind(await runtime.execute(invocation('sources', { id: runtime.seedId })), 'sources');
    expect(reply.sources.map((source) => source.name)).toEqual(
      expect.arrayContaining(['Reuters', 'Netflix', 'Ted Sarandos']),
    );
    expect(reply.basis).toBe('From the article file');
    expect(reply.sources.find((source) => source.name === 'Reuters')?.kinds).toEqual(
      expect.arrayContaining(['publisher', 'cited']),
    );
  });

  it('leaves file options out of the usage for a typed command (Slack), keeps them where a file can be attached', async () => {
    const manager = { user: { platform: 'slack' as const, id: 'U1', canManage: true } };
    const typed = await runtime.execute(invocation('feeds import', { url: '' }, { ...manager, typed: true }));
    expect(expectKind(typed, 'text').text).toBe('url must not be empty. Usage: /news feeds import [url] [document]');
    const attachable = await runtime.execute(invocation('feeds import', { url: '' }, manager));
    expect(expectKind(attachable, 'text').text).toBe(
      'url must not be empty. Usage: /news feeds import [url] [file] [document]',
    );
  });

  it('answers an unknown id with one clear line', async () => {
    const reply = expectKind(await runtime.execute(invocation('summary', { id: 'nope1234' })), 'text');
    expect(reply.text).toBe('No article with id "nope1234". Try /news latest or /news search.');
    expect(expectKind(await runtime.execute(invocation('sources', {})), 'text').text).toBe(
      'id is required. Usage: /news sources <id>',
    );
  });
});

describe('/news search and help', () => {
  it('finds the seed by words in its body', async () => {
    const reply = expectKind(await runtime.execute(invocation('search', { query: 'Sarandos Eternauta' })), 'articles');
    expect(reply.cards.map((card) => card.id)).toEqual([runtime.seedId]);
    expect(expectKind(await runtime.execute(invocation('search', { query: 'cucumber' })), 'articles').cards).toEqual(
      [],
    );
  });

  it('answers an unknown subcommand with the help text', async () => {
    const reply = expectKind(await runtime.execute(invocation('frobnicate')), 'help');
    expect(reply.heading).toMatch(/^Unknown command "frobnicate"/);
    expect(reply.entries.map((entry) => entry.usage)).toEqual(
      expect.arrayContaining([
        '/news latest [count]',
        '/news summary <id>',
        '/news sources <id>',
        '/news search <query>',
        '/news help',
      ]),
    );
  });
});

describe('command text parsing', () => {
  it('maps words onto options in order, the rest option taking the remainder', () => {
    expect(parseCommandText('/news latest 3', commands)).toEqual({ sub: 'latest', args: { count: '3' } });
    expect(parseCommandText('search generative AI at Netflix', commands)).toEqual({
      sub: 'search',
      args: { query: 'generative AI at Netflix' },
    });
    expect(parseCommandText('  ', commands)).toEqual({ sub: 'help', args: {} });
    expect(parseCommandText('Summary abc123', commands)).toEqual({ sub: 'summary', args: { id: 'abc123' } });
    expect(parseCommandText('dance now', commands)).toEqual({ sub: 'dance', args: {} });
  });
});
