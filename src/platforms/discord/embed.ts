import type { ArticleCard } from '../../domain/reply.js';
import { LIMITS } from './limits.js';
import { defuseMentions, escapeMarkdown, truncate } from './text.js';

/** The subset of Discord's embed object that newsdesk sends. */
export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  timestamp?: string;
  color?: number;
  author?: { name: string };
  footer?: { text: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  /** By URL: Discord's media proxy fetches it, the bot never does. */
  image?: { url: string };
}

export const COLORS = { info: 0x5865f2, error: 0xed4245, article: 0x2b7bb9 } as const;

/** An http(s) URL Discord will accept, with parentheses encoded so it is safe in a markdown link. */
export function safeUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const href = url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return href.length <= 2048 ? href : undefined;
  } catch {
    return undefined;
  }
}

export function safeTimestamp(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const time = Date.parse(raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Footer text does not render markdown, so it is only defused, not escaped. */
export function footerText(parts: (string | undefined)[]): string {
  const text = parts.filter((part): part is string => Boolean(part && part.trim())).join(' · ');
  return truncate(defuseMentions(text), LIMITS.footerText);
}

/** The common embed for one article: title link, published time, footer with id and source. */
export function articleEmbed(card: ArticleCard, description: string | undefined, footerPrefix?: string): DiscordEmbed {
  const embed: DiscordEmbed = {
    title: truncate(escapeMarkdown(card.title || card.id), LIMITS.embedTitle),
    color: COLORS.article,
    footer: { text: footerText([footerPrefix, card.id, card.sourceName]) },
  };
  const url = safeUrl(card.url);
  if (url) embed.url = url;
  const timestamp = safeTimestamp(card.published);
  if (timestamp) embed.timestamp = timestamp;
  if (card.author?.trim()) embed.author = { name: truncate(defuseMentions(card.author.trim()), LIMITS.authorName) };
  if (description) embed.description = truncate(description, LIMITS.embedDescription);
  return embed;
}

/** Characters Discord counts towards the 6,000 limit of one message. */
export function embedLength(embed: DiscordEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

export function totalLength(embeds: DiscordEmbed[]): number {
  return embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
}

/**
 * Shrink embeds until all of them together fit in Discord's 6,000 characters: the longest
 * description or field value is cut first, then trailing fields are dropped.
 */
export function fitTotal(embeds: DiscordEmbed[], max: number = LIMITS.embedTotal): DiscordEmbed[] {
  const out = embeds.map((embed) => ({ ...embed, fields: embed.fields?.map((field) => ({ ...field })) }));
  for (let guard = 0; guard < 1000; guard++) {
    const excess = totalLength(out) - max;
    if (excess <= 0) break;
    let best: { length: number; shrink: (to: number) => void } | undefined;
    for (const embed of out) {
      const length = embed.description?.length ?? 0;
      if (length > (best?.length ?? 0)) {
        best = {
          length,
          shrink: (to) => (embed.description = to > 0 ? truncate(embed.description ?? '', to) : undefined),
        };
      }
      for (const field of embed.fields ?? []) {
        // A field value may not be empty: keep at least an ellipsis.
        if (field.value.length > 1 && field.value.length > (best?.length ?? 0)) {
          best = { length: field.value.length, shrink: (to) => (field.value = truncate(field.value, Math.max(1, to))) };
        }
      }
    }
    if (best && best.length > 1) {
      best.shrink(best.length - excess);
      continue;
    }
    const withFields = [...out].reverse().find((embed) => (embed.fields?.length ?? 0) > 0);
    if (!withFields?.fields) break;
    withFields.fields.pop();
  }
  for (const embed of out) if (embed.fields === undefined) delete embed.fields;
  return out;
}
