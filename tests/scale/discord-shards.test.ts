import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Reply } from '../../src/domain/reply.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { createDiscordAdapter, shardOptions } from '../../src/platforms/discord/adapter.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord.js';
import { tempDir } from '../support/paths.js';

/**
 * DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT reach discord.js: each process identifies as its own
 * shards (IDENTIFY carries `shard: [id, count]`) and answers the interactions its session gets.
 */
describe('Discord sharding across processes (real discord.js, fake gateway)', () => {
  let fake: FakeDiscord;
  let dir: string;
  let cleanup: () => void;
  const open: { adapter: PlatformAdapter; stores: SqliteStores }[] = [];

  beforeAll(async () => {
    fake = await createFakeDiscord();
    ({ dir, cleanup } = tempDir('newsdesk-shards-'));
  });
  afterAll(async () => {
    for (const { adapter, stores } of open) {
      await adapter.stop();
      await stores.close();
    }
    await fake?.close();
    cleanup?.();
  });

  async function start(name: string, shards: number[] | undefined, shardCount: number | 'auto'): Promise<void> {
    const stores = openSqliteStores(join(dir, `${name}.db`));
    const adapter = createDiscordAdapter({
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
      stores,
      log: pino({ level: 'silent' }),
      commands,
      execute: async (): Promise<Reply> => ({ kind: 'text', tone: 'info', text: `answered by ${name}` }),
      shards,
      shardCount,
    });
    await adapter.start();
    open.push({ adapter, stores });
  }

  const identified = () =>
    fake.gateway.frames
      .filter((frame) => frame.direction === 'in' && frame.op === fake.gateway.OP.identify)
      .map((frame) => (frame.d as { shard?: number[] }).shard);

  it('maps the settings onto discord.js options', () => {
    expect(shardOptions({})).toEqual({});
    expect(shardOptions({ shardCount: 'auto' })).toEqual({ shards: 'auto' });
    expect(shardOptions({ shardCount: 4 })).toEqual({ shardCount: 4 });
    expect(shardOptions({ shards: [1, 3], shardCount: 4 })).toEqual({ shards: [1, 3], shardCount: 4 });
  });

  it('each process identifies as its own shard and answers the interactions sent to it', {
    timeout: 30_000,
  }, async () => {
    await start('shard-0', [0], 2);
    expect(identified()).toEqual([[0, 2]]);
    // The fake sends events to the session that identified last: here, shard 0's process.
    const first = await fake.answer(fake.command('latest'));
    expect(JSON.stringify(first.data)).toContain('answered by shard-0');

    await start('shard-1', [1], 2);
    expect(identified()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const second = await fake.answer(fake.command('latest'));
    expect(JSON.stringify(second.data)).toContain('answered by shard-1');
  });

  it("'auto' takes Discord's recommended count from GET /gateway/bot", { timeout: 30_000 }, async () => {
    await start('auto', undefined, 'auto');
    expect(identified().at(-1)).toEqual([0, 1]);
  });
});
