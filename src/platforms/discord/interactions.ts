import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Command } from '../../../commands/command.js';
import type { ChannelId } from '../../domain/channel.js';
import { userMessage } from '../../domain/errors.js';
import type { ChannelPlace, Invocation, Invoker } from '../../domain/invocation.js';
import { textReply, type Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import { decodeCustomId } from './custom-id.js';
import { discordCode, isExpiredInteraction } from './errors.js';
import { LIMITS } from './limits.js';
import { findCommand } from './registration.js';
import { renderDiscord, type DiscordMessage } from './render.js';
import { optionSuggestions } from '../../../commands/option-suggestions.js';
import type { SeenIds } from './seen-ids.js';
import type { AttachmentReader } from './attachments.js';
import { createThreadAnswers } from './thread-answers.js';
import { truncate } from './text.js';
import { discordSpace } from '../../domain/space.js';

export interface InteractionDeps {
  commands: readonly Command[];
  execute: (inv: Invocation) => Promise<Reply>;
  stores: Stores;
  log: Logger;
  seen: SeenIds;
  /** Answer directly if the reply is ready by then; otherwise defer and edit later. */
  deferAfterMs: number;
  /** Downloads attached files (an OPML import) before the command runs; inside the defer window. */
  readAttachments?: AttachmentReader;
  /** A channel-managing command's channel: a forum post's command manages its forum (see threads.ts). */
  placeOf?: (channelId: string) => Promise<{ channelId: string; place: ChannelPlace }>;
  /** Post a button's answer as a message in a thread. */
  postInThread?: (threadId: string, message: DiscordMessage) => Promise<void>;
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

const NOT_YET = Symbol('not yet');

/** discord.js takes API-shaped embeds and rows as they are; only the option names differ. */
function replyOptions(message: DiscordMessage, withFlags: boolean): InteractionReplyOptions {
  const options: InteractionReplyOptions = {
    embeds: message.embeds ?? [],
    components: (message.components ?? []) as unknown as InteractionReplyOptions['components'],
    allowedMentions: { parse: [] },
  };
  if (message.content !== undefined) options.content = message.content;
  if (message.files)
    options.files = message.files.map((file) => ({ attachment: Buffer.from(file.data), name: file.name }));
  if (withFlags && message.flags) options.flags = MessageFlags.Ephemeral;
  return options;
}

function invoker(interaction: Interaction): Invoker {
  const user = interaction.user;
  return {
    platform: 'discord',
    id: user.id,
    name: user.globalName ?? user.username,
    // Manage Channels (or Administrator, which `has` also accepts) allows subscription changes.
    canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
  };
}

function channelOf(interaction: Interaction): ChannelId {
  return `discord:${interaction.channelId ?? 'unknown'}`;
}

/** Leaf option values as strings; subcommand and group levels are walked through. */
function collectArgs(
  options: readonly CommandInteractionOption[],
  into: Record<string, string> = {},
): Record<string, string> {
  for (const option of options) {
    if (
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      collectArgs(option.options ?? [], into);
    } else if (option.value !== undefined && option.value !== null) {
      into[option.name] = String(option.value);
    }
  }
  return into;
}

/** The option of a command that takes an article id (what the buttons fill in). */
function articleIdOption(command: Command | undefined): string {
  const spec =
    command?.options.find((o) => o.autocomplete === 'article-id') ?? command?.options.find((o) => o.required);
  return spec?.name ?? 'id';
}

export function createInteractionHandler(deps: InteractionDeps): (interaction: Interaction) => Promise<void> {
  const { log } = deps;

  async function run(inv: Invocation): Promise<Reply> {
    try {
      return await deps.execute(inv);
    } catch (err) {
      log.error({ err, sub: inv.sub, channel: inv.channel }, 'command failed');
      return textReply(userMessage(err), 'error');
    }
  }
  const answerInThread = deps.postInThread ? createThreadAnswers({ run, post: deps.postInThread, log }) : undefined;

  /** Reply within Discord's 3 s: directly when the answer is quick, otherwise defer then edit. */
  async function answer(
    interaction: Answerable,
    inv: Invocation,
    forceEphemeral: boolean,
    prepare?: () => Promise<Invocation | Reply>,
  ): Promise<void> {
    const ready = prepare ? prepare() : Promise.resolve(inv);
    const work = ready
      .then((prepared) => ('kind' in prepared ? prepared : run(prepared)))
      .then((reply): Reply => (forceEphemeral ? { ...reply, ephemeral: true } : reply));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof NOT_YET>((resolve) => {
      timer = setTimeout(() => resolve(NOT_YET), deps.deferAfterMs);
    });
    const first = await Promise.race([work, deadline]);
    clearTimeout(timer);
    if (first !== NOT_YET) {
      await interaction.reply(replyOptions(renderDiscord(first), true));
      return;
    }
    log.debug({ interactionId: interaction.id, sub: inv.sub }, 'slow command; deferring the reply');
    await interaction.deferReply(forceEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await work;
    const message = renderDiscord(reply);
    if (reply.ephemeral && !forceEphemeral) {
      // The deferred placeholder is public; an ephemeral answer (an error, say) must not be.
      await interaction.followUp(replyOptions(message, true));
      await interaction.deleteReply();
      return;
    }
    await interaction.editReply({
      content: message.content ?? null,
      embeds: message.embeds ?? [],
      components: (message.components ?? []) as unknown as InteractionEditReplyOptions['components'],
      allowedMentions: { parse: [] },
      ...(message.files ? { files: replyOptions(message, false).files } : {}),
    });
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand(false) ?? '';
    const command = findCommand(deps.commands, group, sub);
    if (!command) {
      await interaction.reply(
        replyOptions(renderDiscord(textReply('That command is not available any more.', 'error')), true),
      );
      return;
    }
    const inv: Invocation = {
      command: 'news',
      sub: command.name,
      args: collectArgs(interaction.options.data),
      user: invoker(interaction),
      channel: channelOf(interaction),
      space: discordSpace(interaction.guildId, interaction.user.id),
    };
    const read = deps.readAttachments;
    // Both lookups are requests of their own, so they run inside the 3 s window `answer` defers in.
    const prepare = async (): Promise<Invocation | Reply> => {
      if (command.managesChannel && interaction.channelId && deps.placeOf) {
        try {
          const found = await deps.placeOf(interaction.channelId);
          inv.channel = `discord:${found.channelId}`;
          inv.place = found.place;
        } catch (err) {
          // Without it the command still runs on this channel; only forum options cannot be checked.
          log.warn({ err, channel: inv.channel }, 'could not look up the channel type');
        }
      }
      return read ? read(interaction, command, inv) : inv;
    };
    await answer(interaction, inv, false, prepare);
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const parsed = decodeCustomId(interaction.customId);
    const command = parsed && deps.commands.find((candidate) => candidate.name === parsed.action);
    if (!parsed || !command) {
      await interaction.reply(
        replyOptions(renderDiscord(textReply('This button is no longer supported.', 'error')), true),
      );
      return;
    }
    const inv: Invocation = {
      command: 'news',
      sub: command.name,
      args: { [articleIdOption(command)]: parsed.articleId },
      user: invoker(interaction),
      channel: channelOf(interaction),
      space: discordSpace(interaction.guildId, interaction.user.id),
    };
    if (answerInThread && (await answerInThread(interaction, inv))) return;
    await answer(interaction, inv, true);
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const command = findCommand(
      deps.commands,
      interaction.options.getSubcommandGroup(false),
      interaction.options.getSubcommand(false) ?? '',
    );
    const spec = command?.options.find((option) => option.name === focused.name);
    const offered = optionSuggestions(spec?.autocomplete, String(focused.value ?? ''));
    if (offered) {
      await interaction.respond(offered.slice(0, LIMITS.autocompleteChoices));
      return;
    }
    if (spec?.autocomplete !== 'article-id') {
      await interaction.respond([]);
      return;
    }
    let choices: { name: string; value: string }[] = [];
    try {
      const typed = String(focused.value ?? '').trim();
      const space = discordSpace(interaction.guildId, interaction.user.id);
      const found = await deps.stores.articles.suggest(typed, LIMITS.autocompleteChoices, space);
      choices = found
        .filter((item) => item.id.length <= LIMITS.choiceValue)
        .slice(0, LIMITS.autocompleteChoices)
        .map((item) => ({ name: choiceName(item.title, item.id), value: item.id }));
    } catch (err) {
      log.warn({ err, typed: focused.value }, 'autocomplete lookup failed');
    }
    await interaction.respond(choices);
  }

  return async function handle(interaction: Interaction): Promise<void> {
    // A resumed gateway may deliver an interaction again; it gets answered once.
    if (!deps.seen.firstTime(interaction.id)) {
      log.info({ interactionId: interaction.id }, 'duplicate interaction ignored');
      return;
    }
    try {
      if (interaction.isChatInputCommand()) await onCommand(interaction);
      else if (interaction.isAutocomplete()) await onAutocomplete(interaction);
      else if (interaction.isButton()) await onButton(interaction);
    } catch (err) {
      if (isExpiredInteraction(err)) {
        log.warn(
          { interactionId: interaction.id, discordCode: discordCode(err) },
          'interaction expired before it was answered',
        );
      } else {
        log.error({ err, interactionId: interaction.id }, 'interaction failed');
      }
    }
  };
}

/** "Title (id)", with the title shortened so the id always shows, within 100 characters. */
export function choiceName(title: string, id: string): string {
  const suffix = ` (${id})`;
  const room = LIMITS.choiceName - suffix.length;
  // Autocomplete shows 25 of these per keystroke: never collapse a whole stored title.
  const clean = title
    .slice(0, LIMITS.choiceName * 4)
    .replace(/\s+/g, ' ')
    .trim();
  if (room <= 1) return id.slice(0, LIMITS.choiceName);
  return `${truncate(clean, room)}${suffix}`;
}
