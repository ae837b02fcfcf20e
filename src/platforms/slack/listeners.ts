import type { App, RespondArguments, RespondFn } from '@slack/bolt';
import { channelId } from '../../domain/channel.js';
import { userMessage } from '../../domain/errors.js';
import type { Invocation, Invoker } from '../../domain/invocation.js';
import { textReply, type Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import { ACTION_IDS, renderSlack } from './render.js';
import { slackSpace } from '../../domain/space.js';
import type { ThreadAnswer } from './thread-answer.js';
import type { FileDelivery } from './file-upload.js';

export interface ListenerDeps {
  execute: (invocation: Invocation) => Promise<Reply>;
  /** Command text (`latest 3`) → subcommand and arguments by option name. */
  parse: (text: string) => { sub: string; args: Record<string, string> };
  resolveUser: (id: string, name?: string) => Promise<Invoker>;
  log: Logger;
  /** `thread=on`: a post's Summary and Sources buttons answer in its thread (thread-answer.ts). */
  answerInThread?: ThreadAnswer;
  /** A file reply (an OPML export) becomes an upload; the answer says where it went. */
  deliverFile?: FileDelivery;
}

interface Share {
  sub: string;
  args: Record<string, string>;
}

/** The slash command every workspace installs from our manifest. */
export const SLASH_COMMAND = '/news';

/**
 * `/news …`, and the buttons our messages carry. Every listener acks first (Slack gives three
 * seconds) and answers through `response_url`, which stays valid for 30 minutes and five uses.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const { sub, args } = deps.parse(command.text ?? '');
    const user = await deps.resolveUser(command.user_id, command.user_name);
    const invocation: Invocation = {
      command: 'news',
      sub,
      args,
      user,
      channel: channelId('slack', command.channel_id),
      space: slackSpace(command.team_id),
      typed: true,
    };
    const answered = await run(invocation);
    const reply =
      answered.kind === 'file' && deps.deliverFile
        ? await deps.deliverFile(answered, { userId: command.user_id, channelId: command.channel_id })
        : answered;
    await send(
      respond,
      { response_type: 'ephemeral', ...renderSlack(reply, shareOption(reply, { sub, args })) },
      invocation,
    );
  });

  for (const sub of ['summary', 'sources'] as const) {
    app.action(ACTION_IDS[sub], async ({ ack, body, action, respond, client }) => {
      await ack();
      const articleId = action.type === 'button' ? (action.value ?? '') : '';
      const parsed = deps.parse(`${sub} ${articleId}`);
      const invocation = await fromAction(body, parsed);
      if (!invocation) return;
      const reply = await run(invocation);
      if (await deps.answerInThread?.({ body, client, channel: invocation.channel, reply })) return;
      const message = renderSlack(reply, shareOption(reply, parsed));
      await send(respond, { response_type: 'ephemeral', replace_original: false, ...message }, invocation);
    });
  }

  app.action(ACTION_IDS.post, async ({ ack, body, action, respond }) => {
    await ack();
    const share = decodeShare(action.type === 'button' ? action.value : undefined);
    if (!share) {
      deps.log.warn({ action: ACTION_IDS.post }, 'slack share button with an unreadable value');
      return;
    }
    const invocation = await fromAction(body, share);
    if (!invocation) return;
    // Run again as the person who clicked: they, not the original asker, are posting it.
    const reply = await run(invocation);
    if (reply.kind === 'text' && reply.tone === 'error') {
      await send(respond, { response_type: 'ephemeral', replace_original: false, ...renderSlack(reply) }, invocation);
      return;
    }
    const shared = await send(
      respond,
      { response_type: 'in_channel', replace_original: false, ...renderSlack(reply) },
      invocation,
    );
    if (shared) await send(respond, { delete_original: true }, invocation);
  });

  async function fromAction(body: unknown, parsed: Share): Promise<Invocation | undefined> {
    const payload = body as {
      user?: { id?: string; name?: string; username?: string; team_id?: string };
      channel?: { id?: string };
      team?: { id?: string };
    };
    const userId = payload.user?.id;
    const channel = payload.channel?.id;
    if (!userId || !channel) {
      deps.log.warn({ parsed }, 'slack button press without a user or channel');
      return undefined;
    }
    const team = payload.team?.id ?? payload.user?.team_id;
    if (!team) {
      deps.log.warn({ parsed }, 'slack button press without a workspace');
      return undefined;
    }
    const user = await deps.resolveUser(userId, payload.user?.name ?? payload.user?.username);
    const invocation: Invocation = {
      command: 'news',
      sub: parsed.sub,
      args: parsed.args,
      user,
      channel: channelId('slack', channel),
      space: slackSpace(team),
    };
    return invocation;
  }

  async function run(invocation: Invocation): Promise<Reply> {
    try {
      return await deps.execute(invocation);
    } catch (err) {
      deps.log.error(
        { err, sub: invocation.sub, channel: invocation.channel, user: invocation.user.id },
        'slack command failed',
      );
      return textReply(userMessage(err), 'error');
    }
  }

  async function send(respond: RespondFn, message: RespondArguments, invocation: Invocation): Promise<boolean> {
    try {
      await respond(message);
      return true;
    } catch (err) {
      // An expired or exhausted response_url: nothing left to tell the user through.
      deps.log.warn({ err, sub: invocation.sub, channel: invocation.channel }, 'slack response_url failed');
      return false;
    }
  }
}

/** Article content can be shared to the channel; errors and help cannot. */
function shareOption(reply: Reply, share: Share): { postToChannel?: string } {
  const shareable =
    reply.kind === 'articles' ? reply.cards.length > 0 : reply.kind === 'summary' || reply.kind === 'sources';
  return shareable ? { postToChannel: JSON.stringify({ sub: share.sub, args: share.args }) } : {};
}

function decodeShare(value: string | undefined): Share | undefined {
  if (!value) return undefined;
  try {
    const data = JSON.parse(value) as { sub?: unknown; args?: unknown };
    if (typeof data.sub !== 'string' || typeof data.args !== 'object' || data.args === null) return undefined;
    const args: Record<string, string> = {};
    for (const [key, arg] of Object.entries(data.args)) {
      if (typeof arg === 'string') args[key] = arg;
    }
    return { sub: data.sub, args };
  } catch {
    return undefined;
  }
}
