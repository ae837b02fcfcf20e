import type { Config } from '../config.js';
import type { Platform } from '../domain/channel.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import type { PlatformAdapter } from './adapter.js';
import { commands } from '../../commands/index.js';
import { createDiscordAdapter } from './discord/adapter.js';
import { createSlackAdapter } from './slack/adapter.js';

/** The chat adapters the configuration turns on. The terminal adapter is the bot's own fallback. */
export async function platformAdapters(config: Config, runtime: Runtime, http: HttpServer, log: Logger): Promise<Partial<Record<Platform, PlatformAdapter>>> {
  const adapters: Partial<Record<Platform, PlatformAdapter>> = {};
  if (config.discord) {
    adapters.discord = createDiscordAdapter({ ...config.discord, stores: runtime.stores, log, execute: runtime.execute, commands, globalRequestsPerSecond: config.discordGlobalRate });
  }
  if (config.slack) {
    adapters.slack = createSlackAdapter({ ...config.slack, http, adminUserIds: config.slackAdminUserIds, stores: runtime.stores, log, execute: runtime.execute });
  }
  return adapters;
}
