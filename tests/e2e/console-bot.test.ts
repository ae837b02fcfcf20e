import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBot, startBot } from '../support/bot-process.js';
import { seededBotEnv } from '../support/bot-env.js';

const SEED_TITLE =
  "Netflix has given up on neural networks: GenAI is already helping with series, and writers aren't thrilled about it";

describe('the bot in the terminal (piped stdin)', () => {
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  beforeEach(() => {
    ({ dir, cleanup, env } = seededBotEnv());
    env.POST_SCHEDULE = '*/1 * * * * *';
  });
  afterEach(() => cleanup());

  it('posts the seed to console:main, answers each line, and exits 0 at the end of input', async () => {
    const run = await runBot('main', [], env, '/news latest\n/news sources nope\n/news frobnicate\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[console:main] new article');
    expect(run.stdout.split(SEED_TITLE).length - 1).toBe(2); // the post, and the /news latest answer
    expect(run.stdout).toContain('Russell Thompson');
    expect(run.stdout).toContain('No article with id "nope"');
    expect(run.stdout).toContain('Unknown command "frobnicate"');
    expect(run.stdout).toContain('/news summary <id>');

    const again = await runBot('main', [], env, '/news latest\n');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('[console:main] new article');
    expect(again.stdout).toContain(SEED_TITLE);
  });

  it('rejects a bad file with one warning naming it, and ingests the rest', async () => {
    writeFileSync(join(dir, 'articles', 'broken.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    writeFileSync(join(dir, 'articles', 'empty.md'), '');
    const run = await runBot('main', [], env, '/news latest\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(SEED_TITLE);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('article file rejected'));
    expect(warnings).toHaveLength(2);
    expect(warnings.find((line) => line.includes('broken.txt'))).toContain('file is binary');
    expect(warnings.find((line) => line.includes('empty.md'))).toContain('file is empty');
  });

  it('ingests a file dropped into the folder while it runs, and posts it on the next tick', async () => {
    const bot = startBot('main', [], env);
    await bot.waitFor(() => bot.stderr().includes('newsdesk ready'), 'ready');
    writeFileSync(
      join(dir, 'articles', 'late.txt'),
      'Late breaking: river levels fall\n\nBy Jane Doe\n\nThe river fell by a metre overnight. Roads reopened at dawn.\n',
    );
    await bot.waitFor(
      () => bot.stdout().includes('Late breaking: river levels fall'),
      'the new article to be posted',
      10_000,
    );
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(bot.stderr()).toContain('"file":"' + join(dir, 'articles', 'late.txt'));
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const run = await runBot('main', [], { ...env, POST_SCHEDULE: 'every tuesday' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('newsdesk: POST_SCHEDULE: is not a valid cron expression');
  });
});

describe('the one-shot CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  beforeEach(() => {
    ({ dir, cleanup, env } = seededBotEnv('cli.db'));
  });
  afterEach(() => cleanup());

  it('prints latest, then summary and sources by id', async () => {
    const latest = await runBot('cli', ['latest'], env);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toContain(SEED_TITLE);
    const id = /id ([0-9a-z]{6,10})/.exec(latest.stdout)?.[1];
    expect(id).toBeDefined();
    const summary = await runBot('cli', ['summary', id!], env);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain(SEED_TITLE);
    const sources = await runBot('cli', ['sources', id!], env);
    expect(sources.stdout).toContain('Reuters');
    const search = await runBot('cli', ['search', 'Eternauta'], env);
    expect(search.stdout).toContain(SEED_TITLE);
  });

  it('exits 1 with one clear line for an unknown id or a bad argument', async () => {
    const unknown = await runBot('cli', ['summary', 'zzzzzzzz'], env);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr.trim()).toBe('newsdesk: No article with id "zzzzzzzz". Try /news latest or /news search.');
    const bad = await runBot('cli', ['latest', '99'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('newsdesk: count must be at most 10. Usage: /news latest [count]');
  });

  it('ingest prints one JSON line of counts with reasons', async () => {
    writeFileSync(join(dir, 'extra.txt'), 'Extra story\n\nSomething happened today. It mattered.\n');
    writeFileSync(join(dir, 'bad.json'), '{"body": "no title"}');
    const first = await runBot('cli', ['ingest', dir], env);
    expect(first.code).toBe(0);
    const counts = JSON.parse(first.stdout) as {
      new: number;
      updated: number;
      unchanged: number;
      rejected: { file: string; reason: string }[];
    };
    expect(counts).toEqual({
      new: 2,
      updated: 0,
      unchanged: 0,
      rejected: [{ file: join(dir, 'bad.json'), reason: 'article has no title' }],
    });
    const second = JSON.parse((await runBot('cli', ['ingest', dir], env)).stdout) as typeof counts;
    expect(second).toMatchObject({ new: 0, updated: 0, unchanged: 2 });
  });
});
