import { createExecutor, type Executor } from '../commands/execute.js';
import type { Config } from './config.js';
import { channelId, type ChannelId } from './domain/channel.js';
import { createFanOut } from './delivery/fan-out.js';
import { createFileIngester, type FileIngester } from './ingest/ingest-files.js';
import type { Logger } from './logger.js';
import { NewsdeskError } from './domain/errors.js';
import { openSqliteStores, sqlitePath, type SqliteStores } from './store/sqlite-open.js';

/** The pieces the bot and the one-shot CLI share: the store, ingest and the command executor. */
export interface Runtime {
  stores: SqliteStores;
  ingester: FileIngester;
  execute: Executor;
  /** Channels that receive scheduled posts from configuration. */
  configuredChannels: ChannelId[];
}

/** Where scheduled posts go: the configured chat channels, or the terminal when no platform is on. */
export function configuredChannels(config: Config): ChannelId[] {
  const discord = config.discord ? config.discordChannelIds.map((id) => channelId('discord', id)) : [];
  const slack = config.slack ? config.slackChannelIds.map((id) => channelId('slack', id)) : [];
  return config.discord || config.slack ? [...discord, ...slack] : [channelId('console', 'main')];
}

export function openStores(config: Config): SqliteStores {
  if (!config.databaseUrl.startsWith('sqlite:')) {
    throw new NewsdeskError('config', 'DATABASE_URL: only sqlite:<path> is supported in this version');
  }
  return openSqliteStores(sqlitePath(config.databaseUrl));
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const stores = openStores(config);
  const channels = configuredChannels(config);
  const fanOut = createFanOut({ stores, log, channels: () => channels });
  const ingester = createFileIngester({ stores, log, timeZone: config.articlesTz, onStored: fanOut });
  const execute = createExecutor({ stores, log });
  return { stores, ingester, execute, configuredChannels: channels };
}
