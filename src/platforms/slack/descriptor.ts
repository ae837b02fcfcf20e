import { ConfigError, httpUrl, list, optionalText, positiveInt } from '../../config-fields.js';
import { definePlatform } from '../descriptor.js';

const env = {
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_FILES_URL: httpUrl.default('https://files.slack.com/'),
  SLACK_CHANNEL_IDS: list,
  SLACK_ADMIN_USER_IDS: list,
  SLACK_WORKSPACE_RATE: positiveInt(20),
};

/** Slack over HTTP (`POST /slack/events`), or Socket Mode when SLACK_APP_TOKEN is set. */
export const slackPlatform = definePlatform({
  name: 'slack',
  env,
  manageHint: 'an admin on Slack',
  enabled(vars) {
    if (!vars.SLACK_BOT_TOKEN) return undefined;
    if (!vars.SLACK_SIGNING_SECRET && !vars.SLACK_APP_TOKEN) {
      throw new ConfigError(
        'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)',
      );
    }
    return {
      botToken: vars.SLACK_BOT_TOKEN,
      signingSecret: vars.SLACK_SIGNING_SECRET,
      appToken: vars.SLACK_APP_TOKEN,
      apiUrl: vars.SLACK_API_URL,
      filesUrl: vars.SLACK_FILES_URL,
      channelIds: vars.SLACK_CHANNEL_IDS,
      adminUserIds: vars.SLACK_ADMIN_USER_IDS,
      workspaceRate: vars.SLACK_WORKSPACE_RATE,
    };
  },
  channels: (settings) => settings.channelIds,
  secrets: (settings) => [settings.botToken, settings.signingSecret, settings.appToken],
  // chat.postMessage allows about one per second per channel; the workspace cap is ours to set.
  rateLimits: (settings) => ({
    global: { limit: settings.workspaceRate, windowMs: 1_000 },
    perChannel: { limit: 1, windowMs: 1_000 },
    sharePerChannel: true,
  }),
  // Bolt takes seconds to load: only a process that runs Slack imports it.
  create: async ({ channelIds: _channels, workspaceRate: _rate, ...settings }, deps) => {
    // Routed before the server listens: a command that arrives during start-up waits for the adapter (2.5 s at most).
    if (settings.signingSecret && !settings.appToken) {
      const { expectSlackEvents } = await import('./early-events.js');
      expectSlackEvents(deps.http, { signingSecret: settings.signingSecret, log: deps.log });
    }
    const { createSlackAdapter } = await import('./adapter.js');
    return createSlackAdapter({
      ...settings,
      http: deps.http,
      stores: deps.stores,
      log: deps.log,
      execute: deps.execute,
    });
  },
});
