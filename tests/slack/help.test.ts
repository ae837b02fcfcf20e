import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../commands/execute.js';
import { commands } from '../../commands/index.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import { tempDir } from '../support/paths.js';
import { silentLog } from '../support/runtime.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
let stores: SqliteStores;
let cleanup: () => void;

beforeAll(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  stores = openSqliteStores(path.join(dir.dir, 'news.db'));
  h = await startHarness({ stores, execute: createExecutor({ stores, log: silentLog }) });
});
afterAll(async () => {
  await h?.close();
  await stores?.close();
  cleanup?.();
});

describe('/news help on Slack', () => {
  it('says how a file is imported on Slack instead of offering a [file] the slash command cannot carry', async () => {
    const responseUrl = h.fake.responseUrl('help-1');
    const ack = await postSigned(h.eventsUrl, {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text: 'help', responseUrl }),
    });
    expect(ack.status).toBe(200);
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === '/response/help-1'));
    const body = JSON.stringify(response.body);
    expect(body).toContain('`/news feeds import [url] [document]`');
    expect(body).toContain('send the .opml file to the bot in a direct message');
    expect(body).toContain('mentions the bot and says `feeds import`');
    expect(body).not.toContain('[file]');
    // Commands without a file option read as before.
    expect(body).toContain('`/news latest [count]`');
    expect(body).toContain('`/news feeds export`');
  });

  it('the one command that takes a file is the one a shared file runs (shared-files.ts), so the hint fits', () => {
    const takingFiles = commands.filter((command) => command.options.some((option) => option.type === 'attachment'));
    expect(takingFiles.map((command) => command.name)).toEqual(['feeds import']);
  });
});
