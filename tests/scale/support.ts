import { mkdirSync } from 'node:fs';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
export { mostInAnyWindow } from '../support/windows.js';

/** A DATABASE_URL that keeps a replica's tables in `schema` (libpq's `options`), so test files never share rows. */
export function schemaUrl(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** The environment of one replica: Discord only, every replica on the same database and fake. */
export function replicaEnv(discord: FakeDiscord, databaseUrl: string, articlesDir: string, channels: string[], extra: Record<string, string> = {}): Record<string, string> {
  mkdirSync(articlesDir, { recursive: true });
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_CHANNEL_IDS: channels.join(','),
    PORT: '0',
    POST_SCHEDULE: '*/1 * * * * *',
    ARTICLES_DIR: articlesDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Start `count` replicas together (they migrate once, under PostgreSQL's advisory lock) and wait until all are ready. */
export async function startReplicas(count: number, env: (index: number) => Record<string, string>, running: BotProcess[]): Promise<BotProcess[]> {
  const replicas: BotProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    const bot = startBot('main', [], env(index));
    running.push(bot);
    replicas.push(bot);
  }
  await Promise.all(replicas.map((bot) => bot.waitFor(() => bot.stderr().includes('newsdesk ready'), 'a replica to be ready', 40_000)));
  return replicas;
}

export function alive(bot: BotProcess): boolean {
  return bot.child.exitCode === null && bot.child.signalCode === null;
}

/** Posts each replica logged. */
export function postsBy(bot: BotProcess): number {
  return bot.logs().filter((line) => line.msg === 'article posted' || line.msg === 'delivery recovered after restart').length;
}

export const discordChannels = (count: number) => Array.from({ length: count }, (_, index) => String(1_300_000_000_000_000_000n + BigInt(index)));
