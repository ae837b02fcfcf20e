import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import { commands } from '../../../commands/index.js';
import { parseCommandText } from '../../../commands/parse-text.js';
import { NewsdeskError } from '../../domain/errors.js';
import type { Invocation, Invoker } from '../../domain/invocation.js';
import type { Reply } from '../../domain/reply.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import type { PlatformAdapter } from '../adapter.js';
import { createBoltLogger } from './bolt-logger.js';
import { slackErrorCode } from './errors.js';
import { createMountedReceiver } from './http-receiver.js';
import { registerListeners } from './listeners.js';
import { registerAppHome } from './app-home.js';
import { createThreadAnswer } from './thread-answer.js';
import { createFileDelivery } from './file-upload.js';
import { registerSharedFiles } from './shared-files.js';
import { createSlackSendWatch } from './send-watch.js';
import { createSlackPoster } from './poster.js';
import { createConnectionState } from '../connection-state.js';
import { createSeenEvents, dropRedeliveries } from './redeliveries.js';

export const EVENTS_PATH = '/slack/events';

export interface SlackAdapterDeps {
  botToken: string;
  /** Required in HTTP mode; unused in Socket Mode. */
  signingSecret?: string;
  /** Set: Socket Mode (no public URL needed). */
  appToken?: string;
  /** Web API base URL, e.g. `https://slack.com/api/`. */
  apiUrl: string;
  /** The file host shared files are downloaded from (SLACK_FILES_URL); no other host gets the token. */
  filesUrl?: string;
  http: HttpServer;
  /** Users who may manage subscriptions whatever their workspace role. */
  adminUserIds: string[];
  stores: Stores;
  log: Logger;
  execute: (inv: Invocation) => Promise<Reply>;
  /** Gap between two posts to one channel; Slack allows about one per second. */
  postIntervalMs?: number;
  /** A Socket Mode drop shorter than this still reads as connected on /readyz (default 10 s). */
  reconnectGraceMs?: number;
}

/** How long a user's admin flag from users.info is trusted. */
const ROLE_TTL_MS = 5 * 60 * 1000;
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

export function createSlackAdapter(deps: SlackAdapterDeps): PlatformAdapter {
  const log = deps.log.child({ platform: 'slack' });
  const logger = createBoltLogger(log);
  const apiUrl = deps.apiUrl.endsWith('/') ? deps.apiUrl : `${deps.apiUrl}/`;
  const socketMode = Boolean(deps.appToken);
  if (!socketMode && !deps.signingSecret) {
    throw new NewsdeskError('config', 'SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN is set (Socket Mode)');
  }

  const mounted = socketMode ? undefined : createMountedReceiver({ signingSecret: deps.signingSecret ?? '', logger });
  const receiver =
    mounted ??
    new SocketModeReceiver({
      appToken: deps.appToken ?? '',
      logger,
      // The only way Bolt 4 lets apps.connections.open go somewhere other than slack.com.
      installerOptions: { clientOptions: { slackApiUrl: apiUrl } },
    });

  // Socket Mode has a live socket to watch; over HTTP the adapter is up once started.
  const connection = createConnectionState({ graceMs: deps.reconnectGraceMs });
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => connection.up());
    for (const state of ['disconnected', 'reconnecting', 'disconnecting']) {
      receiver.client.on(state, () => connection.down(`socket ${state}`));
    }
  }

  const app = new App({
    token: deps.botToken,
    receiver,
    logger,
    // Bolt would otherwise call auth.test from the constructor, unawaited: a wrong token or a
    // network blip at boot would surface as an unhandled rejection. start() awaits init() instead.
    deferInitialization: true,
    // Interactive calls (users.info) retry briefly; a user is waiting.
    clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 2, factor: 2, minTimeout: 200 } },
  });
  app.error(async (err) => {
    log.error({ err }, 'slack listener failed');
  });
  // Before every listener: an event Slack delivers again (a late ack) is handled once.
  app.use(dropRedeliveries({ seen: createSeenEvents(), log }));

  // Scheduled posts get their own client: no retries and 429s rejected, see poster.ts.
  const sendWatch = createSlackSendWatch();
  const postClient = new webApi.WebClient(deps.botToken, {
    slackApiUrl: apiUrl,
    logger,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    fetch: sendWatch.fetch,
  });
  const poster = createSlackPoster({ client: postClient, log, intervalMs: deps.postIntervalMs, sendWatch });

  const roles = new Map<string, { canManage: boolean; at: number }>();
  async function resolveUser(id: string, name?: string): Promise<Invoker> {
    const base = { platform: 'slack' as const, id, ...(name ? { name } : {}) };
    if (deps.adminUserIds.includes(id)) return { ...base, canManage: true };
    const cached = roles.get(id);
    if (cached && Date.now() - cached.at < ROLE_TTL_MS) return { ...base, canManage: cached.canManage };
    try {
      const info = await app.client.users.info({ user: id });
      const canManage = Boolean(info.user?.is_admin || info.user?.is_owner);
      roles.set(id, { canManage, at: Date.now() });
      return { ...base, canManage };
    } catch (err) {
      log.warn({ err, user: id }, 'slack users.info failed; treating the user as a member');
      return { ...base, canManage: false };
    }
  }

  registerListeners(app, {
    execute: deps.execute,
    parse: (text) => parseCommandText(text, commands),
    resolveUser,
    log,
    answerInThread: createThreadAnswer({ subscriptions: deps.stores.subscriptions, log }),
    deliverFile: createFileDelivery({ client: app.client, log }),
  });
  registerSharedFiles(app, {
    filesUrl: deps.filesUrl ?? 'https://files.slack.com/',
    botToken: deps.botToken,
    client: app.client,
    execute: deps.execute,
    resolveUser: (id) => resolveUser(id),
    log,
  });
  registerAppHome(app, { stores: deps.stores, resolveUser, execute: deps.execute, log });

  return {
    platform: 'slack',
    async start() {
      sendWatch.start();
      await initialize(app);
      try {
        await app.start();
        // Served once the receiver accepts; until then requests are held (early-events.ts).
        if (mounted) deps.http.route('POST', EVENTS_PATH, (req, res) => mounted.requestListener(req, res));
      } catch (err) {
        const code = slackErrorCode(err);
        // Socket Mode: apps.connections.open refuses a wrong or under-scoped app token.
        if (socketMode && code)
          throw new NewsdeskError(
            'config',
            `SLACK_APP_TOKEN was rejected by Slack (${code}); it needs the connections:write scope`,
            { slackError: code },
          );
        throw err;
      }
      if (!socketMode) connection.up();
      log.info(
        { mode: socketMode ? 'socket' : 'http', path: socketMode ? undefined : EVENTS_PATH },
        'slack adapter ready',
      );
    },
    async stop() {
      connection.stopped();
      sendWatch.stop();
      await app.stop();
    },
    health: () => connection.health(),
    post: poster.post,
    edit: poster.edit,
    findPosted: poster.findPosted,
  };
}

/** Runs Bolt's auth.test. A wrong token stops start-up with one clear line, not on the first command. */
async function initialize(app: App): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && AUTH_ERRORS.has(code)) {
      throw new NewsdeskError('config', `SLACK_BOT_TOKEN was rejected by Slack (${code})`, { slackError: code });
    }
    throw new NewsdeskError(
      'transient',
      `Could not reach Slack to check SLACK_BOT_TOKEN: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
}
