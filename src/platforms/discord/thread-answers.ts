import {
  MessageFlags,
  MessageFlagsBitField,
  type ButtonInteraction,
  type InteractionEditReplyOptions,
} from 'discord.js';
import type { Invocation } from '../../domain/invocation.js';
import { textReply, type Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import { renderDiscord, type DiscordMessage } from './render.js';
import { createSeenIds } from './seen-ids.js';

export interface ThreadAnswerDeps {
  run: (inv: Invocation) => Promise<Reply>;
  post: (threadId: string, message: DiscordMessage) => Promise<void>;
  log: Logger;
}

/** The thread opened on the clicked message (it shares the message's id), when there is one. */
function threadOf(interaction: ButtonInteraction): string | undefined {
  const message = interaction.message;
  return new MessageFlagsBitField(message.flags).has(MessageFlags.HasThread) ? message.id : undefined;
}

/**
 * A post with a thread (thread=on) answers its buttons in that thread, for everyone reading it; the
 * one who clicked gets a short private pointer. An error stays private, and a thread that refuses
 * the message falls back to the private answer. Each thread gets each answer once: the returned
 * function says false (not handled) for a repeat click, which is then answered privately as usual.
 */
export function createThreadAnswers(deps: ThreadAnswerDeps) {
  const answered = createSeenIds({ windowMs: 24 * 60 * 60_000 });

  return async function answerInThread(interaction: ButtonInteraction, inv: Invocation): Promise<boolean> {
    const thread = threadOf(interaction);
    if (!thread || !answered.firstTime(`${thread}:${inv.sub}`)) return false;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await deps.run(inv);
    let pointer: Reply = textReply("Answered in this post's thread, for everyone to read.", 'info', true);
    if (reply.kind === 'text' && reply.tone === 'error') pointer = reply;
    else {
      try {
        const message = renderDiscord({ ...reply, ephemeral: false });
        delete message.flags;
        await deps.post(thread, message);
      } catch (err) {
        deps.log.warn({ err, thread, sub: inv.sub }, 'could not answer in the thread; answering privately');
        pointer = { ...reply, ephemeral: true };
      }
    }
    const message = renderDiscord(pointer);
    await interaction.editReply({
      content: message.content ?? null,
      embeds: message.embeds ?? [],
      components: (message.components ?? []) as unknown as InteractionEditReplyOptions['components'],
      allowedMentions: { parse: [] },
    });
    return true;
  };
}
