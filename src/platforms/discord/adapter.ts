import { createHash } from 'node:crypto';
import { Client, Events, GatewayIntentBits, Routes, type RateLimitData } from 'discord.js';
import type { Command } from '../../../commands/command.js';
import { parseChannelId, type ChannelId } from '../../domain/channel.js';
import { NewsdeskError } from '../../domain/errors.js';
import type { Invocation } from '../../domain/invocation.js';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { PlatformAdapter, PostOptions, PostResult } from '../adapter.js';
import { toNewsdeskError } from './errors.js';
import { createInteractionHandler } from './interactions.js';
import { createAttachmentReader, DEFAULT_CDN_URL } from './attachments.js';
import { inviteUrl } from './invite.js';
import { LIMITS } from './limits.js';
import { registerCommands } from './register-commands.js';
import { renderDiscord, type DiscordMessage } from './render.js';
import { createSeenIds } from './seen-ids.js';
import { createSendWatch } from './send-watch.js';
import { createPlacement } from './placement.js';
import { commandPlace } from './threads.js';
import { createConnectionState } from '../connection-state.js';

export interface DiscordAdapterDeps {
  token: string;
  applicationId: string;
  guildId?: string;
  /** REST base, e.g. `https://discord.com/api`; discord.js appends `/v10`. */
  apiUrl: string;
  /** Where attachments are downloaded from (DISCORD_CDN_URL); no other host is fetched for them. */
  cdnUrl?: string;
  stores: Stores;
  log: Logger;
  execute: (inv: Invocation) => Promise<Reply>;
  commands: Command[];
  /** Defer an interaction reply when the command has not answered by then (Discord allows 3 s). */
  deferAfterMs?: number;
  /**
   * discord.js waits out a rate limit by itself. A wait longer than this is refused instead and
   * surfaces as `rate_limited`, so the dispatcher can move on to other channels.
   */
  maxRateLimitWaitMs?: number;
  /** How long interaction ids are remembered, to drop replays after a gateway resume. */
  dedupeWindowMs?: number;
  /** How long start() waits for the gateway to become ready. */
  readyTimeoutMs?: number;
  /** discord.js's own global limiter for this bot; Discord's ceiling is 50 per second. */
  globalRequestsPerSecond?: number;
  /**
   * Gateway shards this process runs (DISCORD_SHARD_IDS), out of `shardCount` in all
   * (DISCORD_SHARD_COUNT, or 'auto' for Discord's recommendation). Discord sends each guild's
   * events, interactions included, to one shard only, so each process answers its own guilds.
   */
  shards?: number[];
  shardCount?: number | 'auto';
  /** A gateway drop shorter than this still reads as connected on /readyz (default 10 s). */
  reconnectGraceMs?: number;
}

/** discord.js's `shards`/`shardCount` options: unset runs one shard, 'auto' every recommended one. */
export function shardOptions(deps: Pick<DiscordAdapterDeps, 'shards' | 'shardCount'>): {
  shards?: number[] | 'auto';
  shardCount?: number;
} {
  if (deps.shardCount === 'auto') return { shards: 'auto' };
  if (deps.shardCount === undefined) return {};
  return { shardCount: deps.shardCount, ...(deps.shards ? { shards: deps.shards } : {}) };
}

/** Gateway events after which a channel that refused us may accept posts again. */
const PERMISSION_EVENTS = new Set([
  'CHANNEL_UPDATE',
  'GUILD_CREATE',
  'GUILD_UPDATE',
  'GUILD_ROLE_CREATE',
  'GUILD_ROLE_UPDATE',
  'GUILD_ROLE_DELETE',
  'GUILD_MEMBER_UPDATE',
]);

/** Discord takes a nonce of at most 25 characters; longer ones are hashed to a stable 25. */
export function discordNonce(nonce: string): string {
  if (nonce.length <= LIMITS.nonce) return nonce;
  return createHash('sha256').update(nonce).digest('base64url').slice(0, LIMITS.nonce);
}

function nativeChannel(channel: ChannelId): string {
  const parsed = parseChannelId(channel);
  if (!parsed || parsed.platform !== 'discord') {
    throw new NewsdeskError('bad_input', `${channel} is not a Discord channel`, { channel });
  }
  return parsed.nativeId;
}

/** Scheduled posts are public whatever the reply says. */
function postBody(reply: Reply): DiscordMessage {
  const message = renderDiscord({ ...reply, ephemeral: false });
  delete message.flags;
  return message;
}

export function createDiscordAdapter(deps: DiscordAdapterDeps): PlatformAdapter {
  const log = deps.log.child({ platform: 'discord' });
  const maxWait = deps.maxRateLimitWaitMs ?? 5_000;
  const seen = createSeenIds({ windowMs: deps.dedupeWindowMs ?? 15 * 60_000 });
  /** Channels that answered 403: not tried again until a permission-related gateway event. */
  const refused = new Map<string, number | undefined>();
  let client: Client | undefined;
  const sendWatch = createSendWatch(deps.apiUrl);
  /** Until when Discord's last global 429 holds (see rejectOnRateLimit). */
  let globalRefusedUntil = 0;
  const connection = createConnectionState({ graceMs: deps.reconnectGraceMs });
  const placement = createPlacement({ self: () => client?.user?.id ?? deps.applicationId });

  const handleInteraction = createInteractionHandler({
    commands: deps.commands,
    execute: deps.execute,
    stores: deps.stores,
    log,
    seen,
    deferAfterMs: deps.deferAfterMs ?? 1_500,
    readAttachments: createAttachmentReader({ cdnUrl: deps.cdnUrl ?? DEFAULT_CDN_URL, log }),
    placeOf: (channelId) => commandPlace(requireClient().rest, channelId),
    postInThread: async (threadId, message) => {
      await requireClient().rest.post(Routes.channelMessages(threadId), { body: message });
    },
  });

  function createClient(): Client {
    const created = new Client({
      intents: [GatewayIntentBits.Guilds],
      ...shardOptions(deps),
      // Belt and braces: every payload we build sets this too.
      allowedMentions: { parse: [] },
      rest: {
        api: deps.apiUrl,
        globalRequestsPerSecond: Math.min(deps.globalRequestsPerSecond ?? 50, 50),
        // After a global 429 from Discord, nothing waits it out in here: discord.js would hold every
        // request and then let them all go together, and resend by itself, outside the limiter's
        // count (and, across replicas, outside the shared lanes): one 429 grew into hundreds. The
        // dispatcher pauses the limiter instead and retries the rows. discord.js's own 50/s
        // window, with no 429 behind it, still just waits.
        rejectOnRateLimit: (data: RateLimitData) =>
          (data.global && Date.now() < globalRefusedUntil) || Math.max(data.retryAfter, data.timeToReset) > maxWait,
        // 10,000 invalid requests in 10 minutes earn a temporary ban: warn long before.
        invalidRequestWarningInterval: 500,
      },
    });
    created.rest.setToken(deps.token);
    created.rest.on('response', (_request, response) => {
      if (response.status !== 429 || !response.headers.get('x-ratelimit-global')) return;
      const retryAfterMs = Number(response.headers.get('retry-after') ?? 1) * 1000;
      globalRefusedUntil = Date.now() + (Number.isFinite(retryAfterMs) ? retryAfterMs : 1000) + 50;
    });
    created.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction));
    created.on(Events.Raw, (packet: { t?: string | null }) => {
      if (packet.t && PERMISSION_EVENTS.has(packet.t) && refused.size > 0) {
        log.info(
          { event: packet.t, channels: [...refused.keys()] },
          'permissions may have changed; retrying refused channels',
        );
        refused.clear();
      }
    });
    created.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    created.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
    created.on(Events.ShardDisconnect, (event, shardId) => {
      connection.down(`gateway closed (${event.code})`, `shard ${shardId}`);
      log.warn({ code: event.code, shardId }, 'gateway closed for good');
    });
    created.on(Events.ShardReconnecting, (shardId) => {
      connection.down('gateway reconnecting', `shard ${shardId}`);
      log.info({ shardId }, 'gateway reconnecting');
    });
    created.on(Events.ShardResume, (shardId, replayed) => {
      connection.up(`shard ${shardId}`);
      log.info({ shardId, replayed }, 'gateway resumed');
    });
    created.on(Events.ShardReady, (shardId) => connection.up(`shard ${shardId}`));
    created.on(Events.ShardError, (_err, shardId) => connection.down('gateway error', `shard ${shardId}`));
    created.rest.on('rateLimited', (info) =>
      log.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit'),
    );
    created.rest.on('invalidRequestWarning', (info) =>
      log.warn({ count: info.count, remainingMs: info.remainingTime }, 'many invalid discord requests'),
    );
    return created;
  }

  function requireClient(): Client {
    if (!client) throw new NewsdeskError('transient', 'The Discord adapter is not started', {});
    return client;
  }

  async function send<T>(action: string, channel: ChannelId, call: (c: Client, id: string) => Promise<T>): Promise<T> {
    const id = nativeChannel(channel);
    if (refused.has(id)) {
      throw new NewsdeskError('forbidden', `The bot may not post in ${channel}`, {
        channel,
        discordCode: refused.get(id),
        remembered: true,
      });
    }
    try {
      return await call(requireClient(), id);
    } catch (err) {
      const mapped = toNewsdeskError(err, { channel, action });
      if (mapped.code === 'forbidden') {
        refused.set(id, mapped.details.discordCode as number | undefined);
        log.warn(
          { channel, discordCode: mapped.details.discordCode },
          'missing permission; channel paused until its permissions change',
        );
      }
      throw mapped;
    }
  }

  return {
    platform: 'discord',

    async start() {
      if (client) return;
      sendWatch.start();
      const created = createClient();
      client = created;
      try {
        await registerCommands({
          rest: created.rest,
          applicationId: deps.applicationId,
          guildId: deps.guildId,
          commands: deps.commands,
          meta: deps.stores.meta,
          log,
        });
      } catch (err) {
        const mapped = toNewsdeskError(err, { action: 'command registration' });
        if (mapped.code === 'config') {
          client = undefined;
          await created.destroy();
          throw mapped;
        }
        // Old commands keep working; the hash is not stored, so the next start tries again.
        log.error({ err: mapped, details: mapped.details }, 'discord command registration failed');
      }
      const ready = new Promise<void>((resolve) => created.once(Events.ClientReady, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new NewsdeskError('transient', 'Discord gateway did not become ready in time')),
          deps.readyTimeoutMs ?? 30_000,
        );
      });
      try {
        await Promise.race([created.login(deps.token).then(() => ready), timeout]);
      } catch (err) {
        client = undefined;
        await created.destroy();
        const mapped = err instanceof NewsdeskError ? err : toNewsdeskError(err, { action: 'login' });
        throw mapped.code === 'internal'
          ? new NewsdeskError('config', `Discord login failed: ${mapped.message}`, mapped.details)
          : mapped;
      } finally {
        clearTimeout(timer);
      }
      log.info(
        {
          user: created.user?.tag,
          guildId: deps.guildId,
          shards: [...created.ws.shards.keys()],
          shardCount: created.options.shardCount,
        },
        'discord adapter ready',
      );
      if (created.guilds.cache.size === 0) {
        log.info(
          { inviteUrl: inviteUrl(deps.applicationId, deps.guildId) },
          'the bot is in no server yet; open this URL to add it',
        );
      }
    },

    async stop() {
      const current = client;
      client = undefined;
      sendWatch.stop();
      connection.stopped();
      await current?.destroy();
    },

    health: () => connection.health(),

    async post(channel: ChannelId, reply: Reply, options: PostOptions): Promise<PostResult> {
      const message = postBody(reply);
      const posting = { ...options, nonce: discordNonce(options.nonce) };
      const cancel = options.onSent ? sendWatch.expect(nativeChannel(channel), options.onSent) : undefined;
      try {
        return await send('post', channel, (c, id) => placement.post(c, id, reply, message, posting));
      } finally {
        cancel?.();
      }
    },

    async edit(channel: ChannelId, messageId: string, reply: Reply): Promise<void> {
      const body = postBody(reply);
      await send('edit', channel, (c, id) => placement.edit(c, id, messageId, body));
    },

    async findPosted(channel: ChannelId, options: PostOptions, reply?: Reply): Promise<PostResult | undefined> {
      return send('history', channel, (c, id) => placement.findPosted(c, id, options, reply));
    },
  };
}
