import { mkdirSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord.js';
import { tempDir } from '../support/paths.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
export { mostInAnyWindow } from '../support/windows.js';

/** A DATABASE_URL that keeps a replica's tables in `schema` (libpq's `options`), so test files never share rows. */
export function schemaUrl(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** What every replica shares besides its platform: the database, a fast schedule, its own port and folder. */
function replicaBase(databaseUrl: string, articlesDir: string): Record<string, string> {
  mkdirSync(articlesDir, { recursive: true });
  return {
    PORT: '0',
    POST_SCHEDULE: '*/1 * * * * *',
    ARTICLES_DIR: articlesDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
  };
}

/** The environment of one replica: Discord only, every replica on the same database and fake. */
export function replicaEnv(
  discord: FakeDiscord,
  databaseUrl: string,
  articlesDir: string,
  channels: string[],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...replicaBase(databaseUrl, articlesDir),
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_CHANNEL_IDS: channels.join(','),
    ...extra,
  };
}

/** Start `count` replicas together (they migrate once, under PostgreSQL's advisory lock) and wait until all are ready. */
export async function startReplicas(
  count: number,
  env: (index: number) => Record<string, string>,
  running: BotProcess[],
): Promise<BotProcess[]> {
  const replicas: BotProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    const bot = startBot('main', [], env(index));
    running.push(bot);
    replicas.push(bot);
  }
  await Promise.all(
    replicas.map((bot) => bot.waitFor(() => bot.stderr().includes('newsdesk ready'), 'a replica to be ready', 40_000)),
  );
  return replicas;
}

export function alive(bot: BotProcess): boolean {
  return bot.child.exitCode === null && bot.child.signalCode === null;
}

/** Posts each replica logged. */
export function postsBy(bot: BotProcess): number {
  return bot.logs().filter((line) => line.msg === 'article posted' || line.msg === 'delivery recovered after restart')
    .length;
}

export const discordChannels = (count: number) =>
  Array.from({ length: count }, (_, index) => String(1_300_000_000_000_000_000n + BigInt(index)));

/** The port a replica started with PORT=0 is listening on, from its 'http listening' log line. */
export function httpPort(bot: BotProcess): number {
  const line = bot.logs().find((entry) => entry.msg === 'http listening');
  if (typeof line?.port !== 'number') throw new Error(`no 'http listening' line with a port\n${bot.stderr()}`);
  return line.port;
}

/** The environment of one Slack replica (HTTP mode): every replica on the same database and fake Slack. */
export function slackReplicaEnv(
  slack: { apiUrl: string; botToken: string; signingSecret: string },
  databaseUrl: string,
  articlesDir: string,
  channels: string[],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...replicaBase(databaseUrl, articlesDir),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL_IDS: channels.join(','),
    ...extra,
  };
}

/** What a platform answered, as a relay passes it back. Return `'drop'` to hang up instead of answering. */
export type RelayHook = (answer: { path: string; status: number; body: string }) => 'drop' | undefined;

export interface Relay {
  url: string;
  hook?: RelayHook;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP relay in front of a fake platform, one per replica: the fake cannot tell
 * replicas apart (they share one token), the relay can, so a test can kill exactly the replica
 * whose request the platform has just taken, before that replica hears the answer.
 */
export async function startRelay(target: string): Promise<Relay> {
  const base = new URL(target);
  const relay: Relay = { url: '', close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = { ...req.headers, host: base.host };
      const upstream = httpRequest(
        { hostname: base.hostname, port: base.port, path: req.url, method: req.method, headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(body);
            if (
              relay.hook?.({ path: req.url ?? '/', status: answer.statusCode ?? 0, body: raw.toString('utf8') }) ===
              'drop'
            ) {
              res.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(raw);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  relay.url = `http://127.0.0.1:${port}${base.pathname}`;
  relay.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return relay;
}

/** The bot token replica `index` uses: the same bot to the fake (one limit), but its requests say whose they are. */
export const replicaToken = (index: number) => `fake-bot-token-replica-${index}`;

/** The replica (index) that sent a request the fake recorded, from its token; -1 for none. */
export function senderOf(request: { headers: Record<string, string | string[] | undefined> }): number {
  const match = /^Bot fake-bot-token-replica-(\d+)$/.exec(String(request.headers.authorization ?? ''));
  return match ? Number(match[1]) : -1;
}

/**
 * Messages the fake Discord holds, counted cheaply: polled every few milliseconds in the process
 * that runs the fake, where a full tally (every request, every nonce) would stall the fake's own
 * loop, bunch the arrivals it records, and make a limiter that spaced its requests look over the limit.
 */
export function messageCount(discord: FakeDiscord): number {
  let count = 0;
  for (const list of discord.state.messages.values()) count += list.length;
  return count;
}

/** The global limit the fake Discord enforces in replica tests: Discord's own. */
export const DISCORD_GLOBAL_LIMIT = { limit: 50, windowMs: 1_000 };

export interface DiscordReplicaFixture {
  server: TestPostgres;
  discord: FakeDiscord;
  dir: string;
  /** Replicas started into this list are killed when the file ends. */
  running: BotProcess[];
}

/**
 * beforeAll/afterAll for a Discord replica test: a PostgreSQL (a cluster of its own with `own`),
 * a fake Discord that answers 429 past 50 requests a second (accepting `replicaToken(0…3)`), and a temp folder.
 */
export function discordReplicaFixture(options: { own?: boolean; prefix: string }): DiscordReplicaFixture {
  const fixture = { running: [] as BotProcess[] } as DiscordReplicaFixture;
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    fixture.server = await startTestPostgres(options.own ? { own: true } : undefined);
    fixture.discord = await createFakeDiscord({
      globalLimit: DISCORD_GLOBAL_LIMIT,
      // Discord's own pace: answers in about 100 ms, so requests are really in flight when a replica dies.
      latency: { ms: 100, jitter: 0.5 },
      replicaTokens: Array.from({ length: 4 }, (_, index) => replicaToken(index)),
    });
    let dir: string;
    ({ dir, cleanup } = tempDir(options.prefix));
    fixture.dir = dir;
  }, 60_000);
  afterAll(async () => {
    for (const bot of fixture.running) if (alive(bot)) bot.child.kill('SIGKILL');
    await fixture.discord?.close();
    await fixture.server?.close();
    cleanup?.();
  });
  return fixture;
}
