import type { webApi } from '@slack/bolt';
import type { Command } from '../../../commands/command.js';
import { usage } from '../../../commands/help.js';
import { EVENTS_PATH } from './adapter.js';
import { SLASH_COMMAND } from './listeners.js';

export type SlackManifest = webApi.AppsManifestCreateArguments['manifest'];

export interface ManifestOptions {
  commands: Command[];
  /** Public https base URL of this bot (HTTP mode), e.g. `https://news.example.com`. */
  baseUrl?: string;
  socketMode: boolean;
  /** App and bot name; Slack allows 35 characters. */
  name?: string;
}

/**
 * Bot scopes, each for one thing the adapter does:
 * - commands: the /news slash command
 * - chat:write: scheduled posts and edits
 * - chat:write.public: post to public channels without being invited first
 * - users:read: users.info, to let workspace admins and owners manage subscriptions
 * - channels:history, groups:history: after a crash, find a post by the article id in its
 *   metadata instead of posting it twice (public and private channels)
 * - im:write, files:write: `feeds export` uploads the OPML file to the asker's DM with the bot
 * - files:read, im:history, app_mentions:read: an OPML file shared in a DM with the bot, or with a
 *   mention in a channel, is read (files.info, then its private download URL) and imported
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'channels:history',
  'groups:history',
  'im:write',
  'files:write',
  'files:read',
  'im:history',
  'app_mentions:read',
] as const;

/** Events: app_home_opened publishes the Home tab; OPML files come in DMs (message.im) and with a mention (app_mention). */
export const BOT_EVENTS = ['app_home_opened', 'message.im', 'app_mention'] as const;

/** Slack's limits on manifest fields. */
const MAX = { name: 35, description: 140, commandDescription: 2000, usageHint: 1000 } as const;

/** A Slack app manifest built from the command list, so new subcommands show up in the usage hint. */
export function buildSlackManifest(options: ManifestOptions): SlackManifest {
  if (!options.socketMode && !options.baseUrl) {
    throw new Error('an https base URL is required for HTTP mode (or choose Socket Mode)');
  }
  const requestUrl = options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}${EVENTS_PATH}` : undefined;
  if (requestUrl && !/^https:\/\/[^\s/]+/.test(requestUrl)) {
    throw new Error(`Slack requires an https request URL, got ${options.baseUrl}`);
  }
  const name = (options.name ?? 'newsdesk').slice(0, MAX.name);
  const subcommands = options.commands.map((command) => command.name);
  // The slash command cannot carry a file (a shared file does): its hint leaves file options out.
  const usageHint = options.commands
    .map((command) => usage(command, { files: false }).replace(/^\/news /, ''))
    .join(' | ');
  const http = !options.socketMode && requestUrl;

  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'News with summaries and sources: the latest articles, posted to channels on a schedule.'.slice(
        0,
        MAX.description,
      ),
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: name, always_online: true },
      // The Home tab lists the workspace's subscriptions and feeds (app-home.ts); users send the bot
      // OPML files in its Messages tab.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          description: `newsdesk: ${subcommands.join(', ')}`.slice(0, MAX.commandDescription),
          usage_hint: usageHint.slice(0, MAX.usageHint),
          should_escape: false,
          ...(http ? { url: requestUrl } : {}),
        },
      ],
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      interactivity: { is_enabled: true, ...(http ? { request_url: requestUrl } : {}) },
      // app_home_opened and views.publish need no scope beyond the bot user.
      event_subscriptions: { bot_events: [...BOT_EVENTS], ...(http ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}
