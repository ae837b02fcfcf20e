import type { ArticleCard, PostLook } from '../../domain/reply.js';
import { articleEmbed, type DiscordEmbed } from './embed.js';
import { LIMITS } from './limits.js';
import { compactLine, fillDiscord, mentionLine, type DiscordPostParts } from './post.js';
import { escapeMarkdown, truncate } from './text.js';

/** One compact or text line is at most this long, so one long title cannot push the others out. */
const LINE_MAX = 400;

/**
 * A digest in the subscription's look: the configured mentions once, the heading, then per article what
 * a single post of that style shows. `card`: an embed each (image, template as its text); `compact`: a
 * line each plus image embeds; `text`: the lines only. Within 2,000 content characters and 10 embeds.
 */
export function discordDigest(cards: ArticleCard[], look: PostLook, heading: string): DiscordPostParts {
  const { line, allowed } = mentionLine(look);
  const head = [line, `**${escapeMarkdown(heading)}**`].filter(Boolean).join('\n');
  const shown = cards.slice(0, LIMITS.embedsPerMessage);
  if (look.style === 'card') {
    const embeds = shown.map((card) => {
      const text = look.template
        ? fillDiscord(look.template, card, look, LIMITS.embedDescription)
        : card.description
          ? escapeMarkdown(card.description)
          : undefined;
      const embed = articleEmbed(card, text);
      if (card.image) embed.image = { url: card.image };
      return embed;
    });
    return { content: truncate(head, LIMITS.content), embeds, allowed };
  }
  const lines = shown.map((card) =>
    look.template ? fillDiscord(look.template, card, look, LINE_MAX) : truncate(compactLine(card), LINE_MAX),
  );
  let content = head;
  let used = 0;
  for (const next of lines) {
    const more = cards.length - used - 1;
    // Room is kept for the "…and N more" line whenever an article would be left out.
    const tail = more > 0 ? `\n…and ${more} more` : '';
    if (content.length + 1 + next.length + tail.length > LIMITS.content) break;
    content = `${content}\n${next}`;
    used += 1;
  }
  if (used < cards.length) content = `${content}\n…and ${cards.length - used} more`;
  const embeds: DiscordEmbed[] =
    look.style === 'compact'
      ? shown
          .slice(0, used)
          .filter((card) => card.image)
          .map((card) => ({ image: { url: card.image! } }))
      : [];
  return { content, embeds, allowed };
}
