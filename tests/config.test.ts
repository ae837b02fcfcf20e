import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../src/config.js';
import { projectRoot } from './support/paths.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    // No tokens: the terminal alone.
    expect(config.platforms.map((platform) => platform.name)).toEqual(['console']);
    expect(config).toMatchObject({
      port: 3000,
      postSchedule: '*/10 * * * *',
      databaseUrl: 'sqlite:./data/newsdesk.db',
      articlesDir: './articles',
      articlesTz: 'UTC',
      logLevel: 'info',
      feeds: { urls: [], allowPrivate: false, maxBytes: 5 * 1024 * 1024, intervalMinutes: 10 },
    });
  });

  it('is documented: every variable is in the README table and in .env.example', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const example = readFileSync(join(projectRoot, '.env.example'), 'utf8');
    expect(CONFIG_VARIABLES.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });

  it('accepts every line of .env.example as it is', () => {
    const example = readFileSync(join(projectRoot, '.env.example'), 'utf8');
    const env = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(25);
    const config = loadConfig(env);
    expect(config.platforms.map((platform) => platform.name)).toEqual(['console']);
    expect(config).toMatchObject({ port: 3000, onUpdate: 'edit' });
  });

  it('turns adapters on from tokens and splits channel lists', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'token',
      DISCORD_APPLICATION_ID: '123',
      DISCORD_CHANNEL_IDS: ' 1, 2 ,,3',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      POST_SCHEDULE: '*/5 * * * * *',
    });
    const [discord, slack, ...others] = config.platforms;
    expect(others).toEqual([]);
    expect(discord).toMatchObject({ name: 'discord', channels: ['1', '2', '3'] });
    expect(discord?.settings).toMatchObject({
      token: 'token',
      applicationId: '123',
      guildId: undefined,
      apiUrl: 'https://discord.com/api',
    });
    expect(discord?.rateLimits).toEqual({
      global: { limit: 50, windowMs: 1_000 },
      perChannel: { limit: 5, windowMs: 5_000 },
      // GET /gateway/bot and command registration, held in the limiter while the adapter starts.
      startupRequests: 2,
    });
    expect(slack?.settings).toMatchObject({
      botToken: 'xoxb-1',
      signingSecret: 'secret',
      apiUrl: 'http://127.0.0.1:9999/api/',
    });
    expect(slack?.rateLimits).toMatchObject({
      global: { limit: 20, windowMs: 1_000 },
      perChannel: { limit: 1, windowMs: 1_000 },
    });
    expect(config.postSchedule).toBe('*/5 * * * * *');
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ POST_SCHEDULE: 'every day' }, 'POST_SCHEDULE: is not a valid cron expression'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be sqlite:<path> or postgres://…'],
    [{ DISCORD_API_URL: 'ftp://x' }, 'DISCORD_API_URL: must be an http or https URL'],
    [{ ARTICLES_TZ: 'Mars/Olympus' }, 'ARTICLES_TZ: is not a known IANA time zone'],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ FEED_URLS: 'https://ok.example/feed, not a url' }, /^FEED_URLS: /],
    [{ DISCORD_TOKEN: 't' }, 'DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set'],
    [{ SLACK_BOT_TOKEN: 'xoxb' }, /^SLACK_SIGNING_SECRET: required/],
    [{ SUMMARY_PROVIDER: 'openai' }, 'OPENAI_API_KEY: required when SUMMARY_PROVIDER=openai'],
    [{ DISCORD_SHARD_IDS: 'x' }, 'DISCORD_SHARD_IDS: must be shard numbers like 0,1'],
    [{ DISCORD_SHARD_IDS: '0' }, 'DISCORD_SHARD_COUNT: a number is required when DISCORD_SHARD_IDS is set'],
    [
      { DISCORD_SHARD_IDS: '5', DISCORD_SHARD_COUNT: '2' },
      'DISCORD_SHARD_IDS: every shard id must be below DISCORD_SHARD_COUNT',
    ],
  ])('names the variable in one line: %j', (env, message) => {
    let thrown: Error | undefined;
    try {
      loadConfig(env);
    } catch (err) {
      thrown = err as Error;
    }
    expect(thrown?.name).toBe('ConfigError');
    expect(thrown?.message).toMatch(message);
    expect(thrown?.message).not.toContain('\n');
  });
});
