import type { ArticleSource, SourceKind } from '../../domain/article.js';
import type { ArticleAction, ArticleCard, Reply } from '../../domain/reply.js';
import { boundReply } from '../bound-reply.js';
import { encodeCustomId } from './custom-id.js';
import { COLORS, articleEmbed, fitTotal, safeUrl, type DiscordEmbed } from './embed.js';
import { FLAGS, LIMITS } from './limits.js';
import { discordDigest } from './digest.js';
import { discordPost, type AllowedMentions } from './post.js';
import { escapeMarkdown, inlineCode, truncate } from './text.js';

export type { DiscordEmbed } from './embed.js';

export interface DiscordButton {
  type: 2;
  /** 2 = secondary (grey). */
  style: 2;
  label: string;
  custom_id: string;
}

export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

/** A Discord message body as the REST API takes it (snake_case). */
export interface DiscordMessage {
  content?: string;
  embeds?: DiscordEmbed[];
  components?: DiscordActionRow[];
  flags?: number;
  /** Attachments (an OPML export). */
  files?: { name: string; data: string }[];
  /** `parse` is always empty: article text never pings anyone; only a subscription's own ids are listed. */
  allowed_mentions: AllowedMentions;
}

const ACTION_LABELS: Record<ArticleAction, string> = { summary: 'Summary', sources: 'Sources' };

const KIND_LABELS: Record<SourceKind, string> = {
  publisher: 'publisher',
  'image-credit': 'image credit',
  cited: 'cited',
  quoted: 'quoted',
  link: 'linked',
};

/** Render a platform-neutral Reply as a Discord message. Pure. */
export function renderDiscord(reply: Reply): DiscordMessage {
  const message = renderBody(boundReply(reply));
  if (reply.ephemeral) message.flags = FLAGS.ephemeral;
  return message;
}

function renderBody(reply: Reply): DiscordMessage {
  switch (reply.kind) {
    case 'text':
      return renderText(reply.text, reply.title, reply.tone);
    case 'articles':
      if (reply.look && reply.cards.length === 1 && !reply.heading) {
        const post = discordPost(reply.cards[0]!, reply.look);
        const out = message({
          content: post.content,
          embeds: post.embeds,
          components: buttonRows(reply.cards, reply.actions, false),
        });
        out.allowed_mentions = post.allowed;
        return out;
      }
      if (reply.look && reply.heading && reply.cards.length > 0) {
        const digest = discordDigest(reply.cards, reply.look, reply.heading);
        const out = message({ content: digest.content, embeds: digest.embeds });
        out.allowed_mentions = digest.allowed;
        return out;
      }
      return renderArticles(reply.cards, reply.actions, reply.heading, reply.empty);
    case 'summary':
      return renderSummary(reply.article, reply.sentences, reply.machineWritten, reply.basis);
    case 'sources':
      return renderSources(reply.article, reply.sources, reply.basis);
    case 'help':
      return renderHelp(reply.heading, reply.entries);
    case 'file':
      return { ...renderText(reply.text, undefined, 'info'), files: [{ name: reply.name, data: reply.content }] };
  }
}

function message(parts: Omit<DiscordMessage, 'allowed_mentions'>): DiscordMessage {
  const out: DiscordMessage = { allowed_mentions: { parse: [] } };
  if (parts.content) out.content = truncate(parts.content, LIMITS.content);
  if (parts.embeds && parts.embeds.length > 0) out.embeds = fitTotal(parts.embeds.slice(0, LIMITS.embedsPerMessage));
  if (parts.components && parts.components.length > 0) out.components = parts.components.slice(0, LIMITS.actionRows);
  return out;
}

function renderText(text: string, title: string | undefined, tone: 'info' | 'error'): DiscordMessage {
  const head = title ? `**${escapeMarkdown(title)}**\n` : '';
  const mark = tone === 'error' ? '⚠️ ' : '';
  return message({ content: `${mark}${head}${escapeMarkdown(text)}` });
}

function renderArticles(
  cards: ArticleCard[],
  actions: ArticleAction[],
  heading?: string,
  empty?: string,
): DiscordMessage {
  if (cards.length === 0) return message({ content: escapeMarkdown(empty ?? 'No articles yet.') });
  const shown = cards.slice(0, LIMITS.embedsPerMessage);
  const hidden = cards.length - shown.length;
  const lines: string[] = [];
  if (heading) lines.push(`**${escapeMarkdown(heading)}**`);
  if (hidden > 0) lines.push(`Showing ${shown.length} of ${cards.length}.`);
  const numbered = shown.length > 1 && actions.length > 0;
  const embeds = shown.map((card, index) =>
    articleEmbed(
      card,
      card.description ? escapeMarkdown(card.description) : undefined,
      numbered ? `#${index + 1}` : undefined,
    ),
  );
  return message({ content: lines.join('\n'), embeds, components: buttonRows(shown, actions, numbered) });
}

/** Two buttons per article; as many articles per row as fit in five buttons. */
export function buttonRows(cards: ArticleCard[], actions: ArticleAction[], numbered: boolean): DiscordActionRow[] {
  if (actions.length === 0) return [];
  const perRow = Math.max(1, Math.floor(LIMITS.buttonsPerRow / actions.length));
  const rows: DiscordActionRow[] = [];
  cards.forEach((card, index) => {
    const buttons: DiscordButton[] = [];
    for (const action of actions.slice(0, LIMITS.buttonsPerRow)) {
      const customId = encodeCustomId(action, card.id);
      if (!customId) continue;
      const label = numbered ? `#${index + 1} ${ACTION_LABELS[action]}` : ACTION_LABELS[action];
      buttons.push({ type: 2, style: 2, label: truncate(label, LIMITS.buttonLabel), custom_id: customId });
    }
    if (buttons.length === 0) return;
    const last = rows[rows.length - 1];
    if (last && last.components.length + buttons.length <= perRow * actions.length) last.components.push(...buttons);
    else rows.push({ type: 1, components: buttons });
  });
  return rows.slice(0, LIMITS.actionRows);
}

/** The basis goes first, so cutting a long description to the embed limit never drops it. */
function basisLabel(basis: string | undefined): string {
  return basis ? `*${escapeMarkdown(basis)}*\n\n` : '';
}

function renderSummary(
  card: ArticleCard,
  sentences: string[],
  machineWritten: boolean,
  basis?: string,
): DiscordMessage {
  const body =
    sentences.length > 0 ? sentences.map(escapeMarkdown).join(' ') : 'No summary is available for this article.';
  const label = `${basisLabel(basis)}${machineWritten ? '*Machine-written summary*\n\n' : ''}`;
  const embed = articleEmbed(card, `${label}${body}`);
  if (machineWritten)
    embed.footer = { text: truncate(`${embed.footer?.text ?? card.id} · machine-written`, LIMITS.footerText) };
  return message({ embeds: [embed] });
}

function sourceField(source: ArticleSource): { name: string; value: string } {
  const role = source.role ? ` (${source.role})` : '';
  const name = truncate(escapeMarkdown(`${source.name}${role}`), LIMITS.fieldName);
  const lines = [`*${source.kinds.map((kind) => KIND_LABELS[kind]).join(', ') || 'mentioned'}*`];
  const url = safeUrl(source.url);
  if (url) lines.push(`[link](${url})`);
  const seen = new Set<string>();
  for (const evidence of source.evidence) {
    if (seen.has(evidence.text)) continue;
    seen.add(evidence.text);
    lines.push(`> ${truncate(escapeMarkdown(evidence.text.replace(/\s+/g, ' ').trim()), 400)}`);
  }
  return { name: name || '\u200b', value: truncate(lines.join('\n'), LIMITS.fieldValue) };
}

function renderSources(card: ArticleCard, sources: ArticleSource[], basis?: string): DiscordMessage {
  const count = sources.length;
  const counted =
    count === 0
      ? 'No sources were found in this article.'
      : `${count} source${count === 1 ? '' : 's'} named in this article.`;
  const description = `${basisLabel(basis)}${counted}`;
  const embed = articleEmbed(card, description);
  const fields = sources.map(sourceField);
  if (fields.length > LIMITS.embedFields) {
    const rest = fields.length - (LIMITS.embedFields - 1);
    fields.length = LIMITS.embedFields - 1;
    fields.push({ name: 'More', value: `…and ${rest} more source${rest === 1 ? '' : 's'}.` });
  }
  if (fields.length > 0) embed.fields = fields;
  return message({ embeds: [embed] });
}

function renderHelp(heading: string, entries: { usage: string; description: string }[]): DiscordMessage {
  const lines = entries.map((entry) => `${inlineCode(entry.usage)} ${escapeMarkdown(entry.description)}`);
  const embed: DiscordEmbed = {
    title: truncate(escapeMarkdown(heading), LIMITS.embedTitle),
    color: COLORS.info,
    description: truncate(lines.join('\n'), LIMITS.embedDescription),
  };
  return message({ embeds: [embed] });
}
