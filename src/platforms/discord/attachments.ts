import type { ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../../../commands/command.js';
import { userMessage } from '../../domain/errors.js';
import type { Invocation } from '../../domain/invocation.js';
import { textReply, type Reply } from '../../domain/reply.js';
import { createOpmlFileFetcher } from '../../ingest/opml/fetch-opml-file.js';
import { OPML_MAX_BYTES } from '../../ingest/opml/parse-opml.js';
import type { Logger } from '../../logger.js';

/** Swaps each attachment option's id for the file's text, or answers why it could not be read. */
export type AttachmentReader = (
  interaction: ChatInputCommandInteraction,
  command: Command,
  invocation: Invocation,
) => Promise<Invocation | Reply>;

export const DEFAULT_CDN_URL = 'https://cdn.discordapp.com';

const FILE_NAME = /\.(opml|xml)$/i;

/**
 * Attachments live on Discord's CDN (`DISCORD_CDN_URL`), outside the feeds' address rules: only
 * that host is fetched, at most 1 MB, and the bytes must be OPML. A user who may not run the
 * command gets nothing downloaded; the executor then answers with the permission message.
 */
export function createAttachmentReader(deps: { cdnUrl: string; log: Logger }): AttachmentReader {
  const fetcher = createOpmlFileFetcher({ base: deps.cdnUrl });
  const read: AttachmentReader = async (interaction, command, invocation) => {
    const specs = command.options.filter((option) => option.type === 'attachment');
    if (specs.length === 0) return invocation;
    const args = { ...invocation.args };
    for (const spec of specs) {
      // The raw option value is the attachment's id: never let it pass as the document.
      delete args[spec.name];
      const attachment = interaction.options.getAttachment(spec.name, false);
      if (!attachment || !invocation.user.canManage) continue;
      const name = attachment.name || 'the attachment';
      if (!FILE_NAME.test(name) && !/xml|opml/i.test(attachment.contentType ?? ''))
        return textReply(`${name} is not an OPML file: attach a .opml or .xml file.`, 'error');
      if (attachment.size > OPML_MAX_BYTES)
        return textReply(`${name} is larger than ${OPML_MAX_BYTES / 1024} KB, the most an OPML import takes.`, 'error');
      try {
        args[spec.name] = await fetcher.fetch(attachment.url, name);
      } catch (err) {
        deps.log.warn({ err, attachment: attachment.id, size: attachment.size }, 'discord attachment refused');
        return textReply(userMessage(err), 'error');
      }
    }
    return { ...invocation, args };
  };
  // Whatever goes wrong here, the user still gets an answer.
  return (interaction, command, invocation) =>
    read(interaction, command, invocation).catch((err: unknown) => {
      deps.log.error({ err, sub: invocation.sub }, 'reading a discord attachment failed');
      return textReply(userMessage(err), 'error');
    });
}
