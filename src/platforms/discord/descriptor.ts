import { z } from 'zod';
import { ConfigError, httpUrl, list, optionalText, positiveInt } from '../../config-fields.js';
import { definePlatform } from '../descriptor.js';

const env = {
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_CDN_URL: httpUrl.default('https://cdn.discordapp.com'),
  DISCORD_CHANNEL_IDS: list,
  DISCORD_SHARD_IDS: list.pipe(z.array(z.string().regex(/^\d+$/, 'must be shard numbers like 0,1').transform(Number))),
  DISCORD_SHARD_COUNT: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.union([z.literal('auto'), z.coerce.number().int().positive()]).optional(),
  ),
  DISCORD_GLOBAL_RATE: positiveInt(50),
};

/** Discord over the gateway, on when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. */
export const discordPlatform = definePlatform({
  name: 'discord',
  env,
  manageHint: 'Manage Channels on Discord',
  enabled(vars) {
    if (vars.DISCORD_TOKEN && !vars.DISCORD_APPLICATION_ID) {
      throw new ConfigError('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
    }
    const count = vars.DISCORD_SHARD_COUNT;
    if (vars.DISCORD_SHARD_IDS.length > 0 && typeof count !== 'number') {
      throw new ConfigError('DISCORD_SHARD_COUNT: a number is required when DISCORD_SHARD_IDS is set');
    }
    if (typeof count === 'number' && vars.DISCORD_SHARD_IDS.some((id) => id >= count)) {
      throw new ConfigError('DISCORD_SHARD_IDS: every shard id must be below DISCORD_SHARD_COUNT');
    }
    if (!vars.DISCORD_TOKEN || !vars.DISCORD_APPLICATION_ID) return undefined;
    return {
      token: vars.DISCORD_TOKEN,
      applicationId: vars.DISCORD_APPLICATION_ID,
      guildId: vars.DISCORD_GUILD_ID,
      apiUrl: vars.DISCORD_API_URL,
      cdnUrl: vars.DISCORD_CDN_URL,
      /** Which gateway shards this process runs; all of them when unset. */
      shards: vars.DISCORD_SHARD_IDS.length > 0 ? vars.DISCORD_SHARD_IDS : undefined,
      shardCount: count,
      channelIds: vars.DISCORD_CHANNEL_IDS,
      globalRate: vars.DISCORD_GLOBAL_RATE,
    };
  },
  channels: (settings) => settings.channelIds,
  secrets: (settings) => [settings.token],
  // 50 requests per second per bot, and about 5 messages per 5 s in one channel.
  rateLimits: (settings) => ({
    global: { limit: settings.globalRate, windowMs: 1_000 },
    perChannel: { limit: 5, windowMs: 5_000 },
    // discord.js's GET /gateway/bot and the command registration (PUT), both under the global limit.
    startupRequests: 2,
  }),
  // discord.js takes seconds to load: only a process that runs Discord imports it.
  create: async ({ channelIds: _channels, globalRate, ...settings }, deps) =>
    (await import('./adapter.js')).createDiscordAdapter({
      ...settings,
      globalRequestsPerSecond: globalRate,
      stores: deps.stores,
      log: deps.log,
      execute: deps.execute,
      commands: deps.commands,
    }),
});
