import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBotEnv } from '../support/bot-env.js';
import { runBot } from '../support/bot-process.js';

/** `npm run news -- …` through the real process: what a script calling it can rely on. */
describe('news exit codes', () => {
  let env: Record<string, string>;
  let cleanup: () => void;
  beforeAll(() => {
    ({ env, cleanup } = seededBotEnv());
  });
  afterAll(() => cleanup());

  const oneErrorLine = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('newsdesk: '));

  it.each([
    [['bogus'], 'newsdesk: unknown command "bogus"'],
    [['--bogus'], 'newsdesk: unknown option --bogus'],
    [['latest', '--all'], 'newsdesk: unknown option --all'],
    [['feeds'], 'newsdesk: feeds needs a subcommand: add, list, remove, import, export'],
    [['summarize', '--fast'], 'newsdesk: unknown option --fast for summarize'],
  ])('%j: usage on stderr, nothing on stdout, exit 1', async (args, message) => {
    const run = await runBot('cli', args, env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(oneErrorLine(run.stderr)).toEqual([message]);
    expect(run.stderr).toContain('usage: news <command> [arguments]');
    expect(run.stderr).toContain('  news latest [count]');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runBot('cli', ['--help'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('usage: news <command> [arguments]');
    expect(run.stdout).toContain('  news feeds add <url>');
    expect(run.stdout).toContain('  news ingest <file-or-folder-or-feed-url>');
  });

  it('a path that is not there: one line naming it, exit 1', async () => {
    const run = await runBot('cli', ['ingest', '/missing/path'], env);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr.trim()).toBe('newsdesk: /missing/path: no such file or folder');
  });

  it('a database that cannot be opened: one line, no stack trace unless LOG_LEVEL=debug', async () => {
    // A folder where the database file should be.
    const broken = { ...env, DATABASE_URL: `sqlite:${env.ARTICLES_DIR}` };
    const run = await runBot('cli', ['latest'], broken);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^newsdesk: /);
    const debug = await runBot('cli', ['latest'], { ...broken, LOG_LEVEL: 'debug' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^newsdesk: /m);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
