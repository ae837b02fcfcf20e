import { EventEmitter } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeGateway } from './gateway.js';
import { baseInteraction, botUser, humanUser, snowflake, type FakeUser, type StoredMessage } from './payloads.js';
import { createRestHandler } from './rest.js';
import { createArrivalFloor } from '../arrival-floor.js';
import { answerDelay, type Latency } from '../latency.js';
import type { FailRule, FakeState, InteractionRecord } from './state.js';

export type { FailRule, InteractionRecord } from './state.js';
export type { StoredMessage } from './payloads.js';

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  guildId?: string;
  heartbeatIntervalMs?: number;
  /** Messages per channel per window, advertised with X-RateLimit-* headers. */
  bucket?: { limit: number; windowMs: number };
  /**
   * Enforce Discord's global limit (50 requests per second per bot) over every authenticated
   * request, in a sliding window of arrival times; past it the fake answers a global 429.
   * A benchmark may shrink `windowMs` with `limit` scaled to match. Off by default.
   */
  globalLimit?: { limit: number; windowMs: number };
  /** Every REST answer is held this long after the request arrived (and was counted); none by default. */
  latency?: Latency;
  /**
   * More tokens of the same bot, one per replica: every one is accepted (REST and gateway) and all
   * count against the one global limit, and each request's authorization says which replica sent it.
   */
  replicaTokens?: string[];
}

export interface InteractionOptions {
  channelId?: string;
  user?: FakeUser;
  /** Member permissions as a decimal string; default is a plain member (view + send). */
  permissions?: string;
  /** Pretend the 3 s passed: callbacks get 10062. */
  expired?: boolean;
  /** Reuse an id, as a replay would. */
  id?: string;
  /** Another guild the bot is in (two servers, one bot); default the fake's guild. */
  guildId?: string;
}

/** Member permission strings used in tests. */
export const PERMS = { member: String(1024 + 2048), manager: String(1024 + 2048 + 16) } as const;

type CommandOption = { type: number; name: string; options?: CommandOption[] };

/**
 * A fake Discord on 127.0.0.1: REST under `/api/v10` and the gateway WebSocket on the same port.
 * The real discord.js Client talks to it; tests read `requests`, `messages` and `interactions`.
 */
export async function createFakeDiscord(options: FakeDiscordOptions = {}) {
  const applicationId = options.applicationId ?? '1100000000000000001';
  const guildId = options.guildId ?? '1200000000000000001';
  const user = botUser(applicationId);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const state: FakeState = {
    token: options.token ?? 'fake-bot-token',
    replicaTokens: new Set(options.replicaTokens ?? []),
    applicationId,
    guildId,
    channels: new Map(),
    requests: [],
    rules: [],
    forbidden: new Map(),
    missing: new Set(),
    messages: new Map(),
    nonces: new Map(),
    commands: { global: [], guilds: new Map() },
    interactions: new Map(),
    bucket: options.bucket ?? { limit: 5, windowMs: 5000 },
    buckets: new Map(),
    overLimit: 0,
    globalLimit: options.globalLimit,
    globalArrivals: [],
    globalOverLimit: 0,
    interactionWindowMs: 3000,
    latency: options.latency,
  };
  let base = '';
  const tick = () => events.emit('tick');
  const server = createServer();
  const arrivals = createArrivalFloor();
  const handle = createRestHandler({
    state,
    user,
    gatewayUrl: () => base.replace(/^http/, 'ws'),
    onRequest: tick,
    arrivals,
  });
  /** Files users attached, served under `/cdn/attachments/…` as Discord's CDN serves them. */
  const attachments = new Map<string, FakeAttachment>();
  server.on('request', (req, res) => {
    const url = req.url ?? '';
    // The CDN answers as slowly as the REST API does.
    if (url.startsWith('/cdn/'))
      return void answerDelay(state.latency).then(() => serveAttachment(attachments, url, res));
    void handle(req, res);
  });
  const gateway = createFakeGateway({
    server,
    url: () => base.replace(/^http/, 'ws'),
    token: state.token,
    otherTokens: state.replicaTokens,
    applicationId,
    user,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    onFrame: tick,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Resolve once `check` returns something, re-checking after every request and frame. */
  function until<T>(check: () => T | undefined | false, timeoutMs = 8000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-discord: timed out waiting for ${what}`));
      }, timeoutMs);
      // Also poll: some conditions (log lines, timers) change without a request or frame.
      const poll = setInterval(attempt, 25);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        events.off('tick', attempt);
      };
      events.on('tick', attempt);
      attempt();
    });
  }

  function registeredNews(): Record<string, unknown> {
    const list = (state.commands.guilds.get(guildId) ?? state.commands.global) as Record<string, unknown>[];
    const news = list.find((command) => command.name === 'news');
    if (!news) throw new Error('fake-discord: /news is not registered');
    return news;
  }

  /** Build the data.options tree for `/news <sub>`, typed from the registered command. */
  function commandOptions(sub: string, values: Record<string, string | number>, focused?: string): unknown[] {
    const [first, second] = sub.split(' ');
    const top = (registeredNews().options as CommandOption[]) ?? [];
    const group = second ? top.find((o) => o.name === first && o.type === 2) : undefined;
    const subOption = (group?.options ?? top).find((o) => o.name === (second ?? first) && o.type === 1);
    if (!subOption) throw new Error(`fake-discord: /news ${sub} is not registered`);
    const leaves = Object.entries(values).map(([name, value]) => {
      const spec = (subOption.options ?? []).find((o) => o.name === name);
      if (!spec) throw new Error(`fake-discord: /news ${sub} has no option ${name}`);
      return {
        type: spec.type,
        name,
        value: spec.type === 4 && name !== focused ? Number(value) : value,
        ...(name === focused ? { focused: true } : {}),
      };
    });
    const leaf = { type: 1, name: subOption.name, options: leaves };
    return group ? [{ type: 2, name: group.name, options: [leaf] }] : [leaf];
  }

  function issue(
    type: number,
    data: Record<string, unknown>,
    opts: InteractionOptions,
    extra: Record<string, unknown> = {},
  ) {
    const id = opts.id ?? snowflake();
    const existing = state.interactions.get(id);
    const token = existing?.token ?? `itok_${id}_${Math.random().toString(36).slice(2)}`;
    const payload = {
      ...baseInteraction(
        {
          applicationId,
          guildId: opts.guildId ?? guildId,
          channelId: opts.channelId ?? '1300000000000000001',
          user: opts.user ?? humanUser('1400000000000000001', 'Reader'),
          permissions: opts.permissions ?? PERMS.member,
        },
        type,
        id,
        token,
      ),
      data,
      ...extra,
    };
    const record: InteractionRecord = existing ?? {
      id,
      token,
      type,
      payload,
      createdAt: Date.now(),
      expired: opts.expired ?? false,
      callbacks: [],
      originalDeleted: false,
      originalEdits: [],
      followups: [],
    };
    state.interactions.set(id, record);
    gateway.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  const commandData = (options: unknown[]) => ({
    id: String(registeredNews().id),
    name: 'news',
    type: 1,
    guild_id: guildId,
    options,
  });

  return {
    apiUrl: `${base}/api`,
    gatewayUrl: () => base.replace(/^http/, 'ws'),
    token: state.token,
    applicationId,
    guildId,
    user,
    state,
    requests: state.requests,
    gateway,
    until,
    /** Script the next matching request(s) to fail. */
    failNext(rule: FailRule): void {
      state.rules.push(rule);
    },
    /** A forum channel (type 15, or 16 for media) with these tag names; returns the tags with their ids. */
    addForum(channelId: string, tagNames: string[] = [], type = 15) {
      const tags = tagNames.map((name) => ({
        id: snowflake(),
        name,
        moderated: false,
        emoji_id: null,
        emoji_name: null,
      }));
      state.channels.set(channelId, {
        id: channelId,
        type,
        guild_id: guildId,
        name: 'news-forum',
        available_tags: tags,
      });
      return tags;
    },
    /** Threads whose parent is this channel (forum posts, or threads on its messages). */
    threadsIn(channelId: string) {
      return [...state.channels.values()].filter((channel) => channel.parent_id === channelId);
    },
    /** Archive a thread, as Discord does after its auto-archive time. */
    archive(threadId: string): void {
      const thread = state.channels.get(threadId);
      if (thread?.thread_metadata) thread.thread_metadata.archived = true;
    },
    forbid(channelId: string, code = 50013): void {
      state.forbidden.set(channelId, code);
    },
    allow(channelId: string): void {
      state.forbidden.delete(channelId);
    },
    messagesIn(channelId: string): StoredMessage[] {
      return state.messages.get(channelId) ?? [];
    },
    /** The CDN base to configure as DISCORD_CDN_URL. */
    cdnUrl: `${base}/cdn`,
    /** A file a user attaches; pass its id as the attachment option's value. `size` may lie, as a test wants. */
    attach(filename: string, content: string | Buffer, contentType = 'text/x-opml; charset=utf-8', size?: number) {
      const id = snowflake();
      const bytes = Buffer.from(content);
      const channel = '1300000000000000001';
      const url = `${base}/cdn/attachments/${channel}/${id}/${encodeURIComponent(filename)}`;
      const attachment: FakeAttachment = {
        id,
        filename,
        size: size ?? bytes.length,
        url,
        proxy_url: url.replace('/cdn/', '/media/'),
        content_type: contentType,
        bytes,
        downloads: 0,
      };
      attachments.set(id, attachment);
      return attachment;
    },
    /** `/news <sub> [options]` typed by a user; attachment options resolve to files made by `attach`. */
    command(
      sub: string,
      values: Record<string, string | number> = {},
      opts: InteractionOptions = {},
    ): InteractionRecord {
      const data: Record<string, unknown> = commandData(commandOptions(sub, values));
      const used = Object.values(values).flatMap((value) => attachments.get(String(value)) ?? []);
      if (used.length > 0)
        data.resolved = {
          attachments: Object.fromEntries(used.map(({ bytes: _b, downloads: _d, ...rest }) => [rest.id, rest])),
        };
      return issue(2, data, opts);
    },
    autocomplete(
      sub: string,
      values: Record<string, string>,
      focused: string,
      opts: InteractionOptions = {},
    ): InteractionRecord {
      return issue(4, { ...commandData(commandOptions(sub, values, focused)), version: snowflake() }, opts);
    },
    click(message: StoredMessage, customId: string, opts: InteractionOptions = {}): InteractionRecord {
      return issue(
        3,
        { custom_id: customId, component_type: 2 },
        { channelId: message.channel_id, ...opts },
        { message },
      );
    },
    /** The first answer the user sees: a direct reply, or the edit/follow-up after a defer. */
    answer(record: InteractionRecord, timeoutMs = 8000) {
      return until(
        () => {
          const first = record.callbacks[0];
          if (!first) return undefined;
          if (first.type === 4 || first.type === 8)
            return { deferred: false, type: first.type, data: first.data ?? {} };
          if (first.type === 5) {
            const body = record.followups[0] ?? record.originalEdits[0];
            if (body) return { deferred: true, type: first.type, data: body as unknown as Record<string, unknown> };
          }
          return undefined;
        },
        timeoutMs,
        `an answer to interaction ${record.id}`,
      );
    },
    async close(): Promise<void> {
      arrivals.stop();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeDiscord = Awaited<ReturnType<typeof createFakeDiscord>>;

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  bytes: Buffer;
  /** How many times the CDN served it. */
  downloads: number;
}

function serveAttachment(attachments: Map<string, FakeAttachment>, url: string, res: ServerResponse): void {
  const id = url.split('/')[4] ?? '';
  const found = attachments.get(id);
  if (!found) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  found.downloads += 1;
  res.writeHead(200, { 'content-type': found.content_type, 'content-length': String(found.bytes.length) });
  res.end(found.bytes);
}
