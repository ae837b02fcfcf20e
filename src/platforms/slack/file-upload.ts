import type { webApi } from '@slack/bolt';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import { slackErrorCode } from './errors.js';

export type FileReply = Extract<Reply, { kind: 'file' }>;

/** Hands a file reply to the user; answers with what to show them ephemerally. */
export type FileDelivery = (reply: FileReply, where: { userId: string; channelId: string }) => Promise<Reply>;

/**
 * A `response_url` cannot carry a file, and the export is the asker's alone (feed URLs may hold
 * tokens), so it goes to the asker's direct message with the bot: `conversations.open` (im:write),
 * then `files.uploadV2` (files:write), which is getUploadURLExternal → POST the bytes →
 * completeUploadExternal with that channel. If any step fails, the ephemeral answer says why and
 * shows the document inline instead (cut to what a message holds).
 */
export function createFileDelivery(deps: { client: webApi.WebClient; log: Logger }): FileDelivery {
  return async (reply, where) => {
    try {
      const opened = await deps.client.conversations.open({ users: where.userId });
      const dm = opened.channel?.id;
      if (!dm) throw new Error('conversations.open returned no channel');
      await deps.client.filesUploadV2({
        channel_id: dm,
        filename: reply.name,
        title: reply.name,
        content: reply.content,
        initial_comment: reply.text,
      });
      return {
        kind: 'text',
        tone: 'info',
        text: `${reply.text} Sent to you as ${reply.name} in your direct messages with the bot.`,
        ephemeral: true,
      };
    } catch (err) {
      const reason = slackErrorCode(err) ?? (err as Error).message;
      deps.log.warn(
        { err, user: where.userId, channel: where.channelId },
        'slack file upload failed; answering inline',
      );
      return {
        ...reply,
        text: `Could not upload the file (${reason.slice(0, 200)}), so here it is inline. ${reply.text}`,
      };
    }
  };
}
