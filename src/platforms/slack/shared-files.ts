import type { App, webApi } from '@slack/bolt';
import { channelId } from '../../domain/channel.js';
import { NewsdeskError, userMessage } from '../../domain/errors.js';
import type { Invocation, Invoker } from '../../domain/invocation.js';
import { textReply, type Reply } from '../../domain/reply.js';
import { slackSpace } from '../../domain/space.js';
import { createOpmlFileFetcher } from '../../ingest/opml/fetch-opml-file.js';
import { OPML_MAX_BYTES } from '../../ingest/opml/parse-opml.js';
import type { Logger } from '../../logger.js';
import { slackErrorCode } from './errors.js';
import { renderSlack } from './render.js';

export interface SharedFileDeps {
  /** The only host files are downloaded from (SLACK_FILES_URL), e.g. `https://files.slack.com/`. */
  filesUrl: string;
  botToken: string;
  client: webApi.WebClient;
  execute: (invocation: Invocation) => Promise<Reply>;
  resolveUser: (id: string) => Promise<Invoker>;
  log: Logger;
}

/** The subcommand a shared file runs; its `file` option takes the document's text. */
const IMPORT = 'feeds import';
const OPML_NAME = /\.(opml|xml)$/i;
/** `<@U123> feeds import` (any case, the words anywhere after the mention). */
const ASKS_IMPORT = /\bfeeds\s+import\b/i;

interface SharedEvent {
  user?: string;
  bot_id?: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  text?: string;
  files?: { id?: string; name?: string }[];
}

/**
 * `/news` cannot carry a file, so an OPML list reaches the bot the way Slack delivers files: sent
 * in a DM with the bot (a `message` event, subtype `file_share`, channel type `im`), or shared in a
 * channel with `@newsdesk feeds import` (an `app_mention` with `files`). The file's record comes
 * from files.info, its bytes from `url_private_download` with the bot token as bearer, only from
 * the configured file host. The space is the workspace the event came from; the import runs
 * through the same executor as the command, so the same permission check applies.
 */
export function registerSharedFiles(app: App, deps: SharedFileDeps): void {
  const fetcher = createOpmlFileFetcher({
    base: deps.filesUrl,
    headers: { authorization: `Bearer ${deps.botToken}` },
  });

  app.event('message', async ({ event, body }) => {
    const message = event as SharedEvent;
    if (message.subtype !== 'file_share' || message.channel_type !== 'im' || message.bot_id) return;
    await handle(message, String((body as { team_id?: unknown }).team_id ?? ''), true);
  });

  app.event('app_mention', async ({ event, body }) => {
    const mention = event as SharedEvent;
    if (mention.bot_id || !mention.files?.length || !ASKS_IMPORT.test(mention.text ?? '')) return;
    await handle(mention, String((body as { team_id?: unknown }).team_id ?? ''), false);
  });

  async function handle(event: SharedEvent, team: string, direct: boolean): Promise<void> {
    const { user: userId, channel } = event;
    if (!userId || !channel || !team) {
      deps.log.warn({ channel, team }, 'slack shared file without a user, channel or workspace');
      return;
    }
    const where = { channel, userId, direct };
    const file = (event.files ?? []).find((candidate) => OPML_NAME.test(candidate.name ?? ''));
    if (!file?.id) {
      await answer(where, textReply('To import feeds, send an .opml or .xml file (at most 1 MB).', 'error'));
      return;
    }
    const user = await deps.resolveUser(userId);
    const invocation: Invocation = {
      command: 'news',
      sub: IMPORT,
      args: {},
      user,
      channel: channelId('slack', channel),
      space: slackSpace(team),
    };
    // A member gets the command's own refusal, and nothing is downloaded.
    if (!user.canManage) {
      await answer(where, await run(invocation));
      return;
    }
    const text = await download(file.id).catch((err: unknown) => {
      deps.log.warn({ err, file: file.id, channel }, 'slack shared file refused');
      return textReply(userMessage(err), 'error');
    });
    const reply = typeof text === 'string' ? await run({ ...invocation, args: { file: text } }) : text;
    await answer(where, reply);
  }

  async function download(id: string): Promise<string> {
    let info: webApi.FilesInfoResponse;
    try {
      info = await deps.client.files.info({ file: id });
    } catch (err) {
      const reason = slackErrorCode(err) ?? (err as Error).message;
      throw new NewsdeskError('transient', `Could not read the file from Slack (${reason}).`, {}, { cause: err });
    }
    const file = info.file;
    const name = file?.name ?? 'the file';
    if (!file?.url_private_download) throw new NewsdeskError('bad_input', `${name} has no download link.`);
    if ((file.size ?? 0) > OPML_MAX_BYTES)
      throw new NewsdeskError(
        'bad_input',
        `${name} is larger than ${OPML_MAX_BYTES / 1024} KB, the most an OPML import takes.`,
      );
    return fetcher.fetch(file.url_private_download, name);
  }

  async function run(invocation: Invocation): Promise<Reply> {
    try {
      return await deps.execute(invocation);
    } catch (err) {
      deps.log.error({ err, sub: invocation.sub, channel: invocation.channel }, 'slack shared-file import failed');
      return textReply(userMessage(err), 'error');
    }
  }

  /** In the DM a plain reply; in a channel only the person who shared it sees the report. */
  async function answer(where: { channel: string; userId: string; direct: boolean }, reply: Reply): Promise<void> {
    const message = renderSlack(reply);
    try {
      if (where.direct) await deps.client.chat.postMessage({ channel: where.channel, ...message });
      else await deps.client.chat.postEphemeral({ channel: where.channel, user: where.userId, ...message });
    } catch (err) {
      deps.log.warn({ err, channel: where.channel }, 'slack shared-file answer failed');
    }
  }
}
