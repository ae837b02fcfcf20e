import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingLogger } from '../support/logger.js';
import type { Command } from '../../commands/command.js';
import { commands as defaultCommands } from '../../commands/index.js';
import type { Invocation } from '../../src/domain/invocation.js';
import type { Reply } from '../../src/domain/reply.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { createDiscordAdapter, type DiscordAdapterDeps } from '../../src/platforms/discord/adapter.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/discord/fake-discord.js';

export interface HarnessOptions extends FakeDiscordOptions {
  execute?: (inv: Invocation, stores: SqliteStores) => Promise<Reply>;
  commands?: Command[];
  adapter?: Partial<
    Pick<DiscordAdapterDeps, 'deferAfterMs' | 'maxRateLimitWaitMs' | 'dedupeWindowMs' | 'reconnectGraceMs'>
  >;
  /** Reuse a fake (for restart tests). */
  fake?: FakeDiscord;
  dir?: string;
  /** Register globally instead of in the fake's guild. */
  global?: boolean;
  /** Log in with this token instead of the fake's. */
  token?: string;
}

export interface Harness {
  fake: FakeDiscord;
  stores: SqliteStores;
  adapter: PlatformAdapter;
  calls: Invocation[];
  logs: Record<string, unknown>[];
  dir: string;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** A real discord.js client inside the adapter, a fake Discord, and a temp SQLite store. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? (await createFakeDiscord(options));
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'newsdesk-discord-'));
  const stores = openSqliteStores(join(dir, 'news.db'));
  const { log, lines: logs } = capturingLogger();
  const calls: Invocation[] = [];
  const execute = options.execute ?? (async () => ({ kind: 'text', tone: 'info', text: 'ok' }) as Reply);
  const adapter = createDiscordAdapter({
    token: options.token ?? fake.token,
    applicationId: fake.applicationId,
    guildId: options.global ? undefined : fake.guildId,
    apiUrl: fake.apiUrl,
    cdnUrl: fake.cdnUrl,
    stores,
    log,
    commands: options.commands ?? defaultCommands,
    execute: async (inv) => {
      calls.push(inv);
      return execute(inv, stores);
    },
    ...options.adapter,
  });
  try {
    await adapter.start();
  } catch (err) {
    await stores.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await adapter.stop();
    await stores.close();
  };
  return {
    fake,
    stores,
    adapter,
    calls,
    logs,
    dir,
    stop,
    async close() {
      await stop();
      if (!options.fake) await fake.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
