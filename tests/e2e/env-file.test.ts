import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededBotEnv } from '../support/bot-env.js';
import { runBot } from '../support/bot-process.js';

const SEED_TITLE = 'Netflix has given up on neural networks';

/** `.env` in the working folder, as `cp .env.example .env` leaves it; the real environment wins. */
describe('.env', () => {
  let dir: string;
  let cleanup: () => void;
  let seeded: Record<string, string>;
  beforeEach(() => {
    ({ dir, cleanup, env: seeded } = seededBotEnv());
  });
  afterEach(() => cleanup());

  const writeEnv = (lines: Record<string, string>) =>
    writeFileSync(
      join(dir, '.env'),
      `# written by the test\n${Object.entries(lines)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n')}\n`,
    );

  it('is read by npm start, which says so in one log line', async () => {
    writeEnv({ ...seeded, POST_SCHEDULE: '*/1 * * * * *' });
    const run = await runBot('main', [], {}, '/news latest\n', dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(SEED_TITLE);
    const lines = run.stderr.split('\n').filter((line) => line.includes('"envFile"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ envFile: '.env', msg: 'environment read from .env' });
  });

  it('is read by npm run news, and a real environment variable wins over it', async () => {
    writeEnv(seeded);
    const fromFile = await runBot('cli', ['latest'], {}, '', dir);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain(SEED_TITLE);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const overridden = await runBot(
      'cli',
      ['latest'],
      { ARTICLES_DIR: empty, DATABASE_URL: `sqlite:${join(dir, 'other.db')}` },
      '',
      dir,
    );
    expect(overridden.code).toBe(0);
    expect(overridden.stdout).not.toContain(SEED_TITLE);
  });

  it('a broken value in it stops start-up with the one-line config error', async () => {
    writeEnv({ ...seeded, POST_SCHEDULE: 'every day' });
    const run = await runBot('main', [], {}, '', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('newsdesk: POST_SCHEDULE: is not a valid cron expression\n');
  });

  it('without one, start-up says the environment alone is used', async () => {
    const run = await runBot('main', [], seeded, '', dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no .env file; environment only');
  });
});
