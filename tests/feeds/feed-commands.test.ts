import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext as FeedCommandContext } from '../../commands/command.js';
import { feedsAddCommand } from '../../commands/feeds-add.js';
import { feedsListCommand } from '../../commands/feeds-list.js';
import { feedsRemoveCommand } from '../../commands/feeds-remove.js';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';

let dir: string;
let stores: SqliteStores;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-feedcmd-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function context(allowPrivate: boolean): FeedCommandContext {
  const names: Record<string, string> = { 'news.example': '93.184.216.34', 'intranet.example': '192.168.0.10' };
  return {
    stores,
    user: { platform: 'slack', id: 'U1', canManage: true },
    channel: 'slack:C1',
    now: () => '2024-03-01T12:00:00.000Z',
    feeds: createFeedCommandsPort({
      feedStore: stores.feeds,
      allowPrivate,
      resolve: async (host) => {
        const address = names[host];
        if (!address) throw new Error('ENOTFOUND');
        return [{ address, family: 4 }];
      },
    }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isNewsdeskError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('/news feeds add | list | remove', () => {
  it('adds, lists and removes a feed by its id', async () => {
    const ctx = context(false);
    expect(feedsAddCommand.managesChannel).toBe(true);
    const added = await feedsAddCommand.run(ctx, { url: 'https://news.example/rss' });
    expect(added).toMatchObject({ kind: 'text', tone: 'info', ephemeral: true });
    const again = await feedsAddCommand.run(ctx, { url: 'https://news.example/rss' });
    expect(again.kind === 'text' && again.text).toMatch(/already polled/);
    const listed = await feedsListCommand.run(ctx, {});
    const text = listed.kind === 'text' ? listed.text : '';
    expect(text).toMatch(/https:\/\/news\.example\/rss — not polled yet/);
    const id = text.split(/\s+/)[0] ?? '';
    expect(id).toMatch(/^[0-9a-z]{6}$/);
    await feedsRemoveCommand.run(ctx, { id });
    expect(
      (await feedsListCommand.run(ctx, {})).kind === 'text' && (await feedsListCommand.run(ctx, {})),
    ).toMatchObject({ text: expect.stringMatching(/No feeds yet/) });
    expect((await rejection(feedsRemoveCommand.run(ctx, { id }))).code).toBe('not_found');
  });

  it('refuses private, loopback and non-http URLs unless FEED_ALLOW_PRIVATE is on', async () => {
    const ctx = context(false);
    expect(await rejection(feedsAddCommand.run(ctx, { url: 'https://intranet.example/feed' }))).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/192\.168\.0\.10/),
    });
    expect((await rejection(feedsAddCommand.run(ctx, { url: 'http://127.0.0.1:8080/feed' }))).code).toBe('forbidden');
    expect((await rejection(feedsAddCommand.run(ctx, { url: 'http://[::ffff:169.254.169.254]/' }))).code).toBe(
      'forbidden',
    );
    expect((await rejection(feedsAddCommand.run(ctx, { url: 'ftp://news.example/feed' }))).message).toMatch(
      /Only http and https/,
    );
    expect((await rejection(feedsAddCommand.run(ctx, { url: 'https://nowhere.example/feed' }))).message).toMatch(
      /does not resolve/,
    );
    await feedsAddCommand.run(context(true), { url: 'https://intranet.example/feed' });
    expect(await stores.feeds.list()).toHaveLength(1);
  });
});
