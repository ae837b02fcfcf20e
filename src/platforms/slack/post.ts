import type { types as slackTypes } from '@slack/bolt';
import { cardTemplateValues, fillFromSource, type TemplatePart } from '../../domain/post-template.js';
import type { ArticleCard, PostLook } from '../../domain/reply.js';
import { breakBroadcasts, escapeMrkdwn, mrkdwnLink, plain, truncate } from './mrkdwn.js';

type Block = slackTypes.KnownBlock;

const SECTION = 3_000;

/**
 * A template's own mrkdwn renders (bold, links it writes out), but `<!…>`, `<@…>` and `<#…>` in it are
 * made literal: the only mentions a post carries are the subscription's configured ids.
 */
function templateLiteral(text: string): string {
  return breakBroadcasts(text.replace(/<([!@#][^>]*)>/g, '&lt;$1&gt;'));
}

export function mentionLine(look: PostLook): string {
  return look.mentions
    .map((mention) => {
      if (mention.kind === 'subteam' && /^S[A-Z0-9]{2,20}$/.test(mention.id)) return `<!subteam^${mention.id}>`;
      if (mention.kind === 'user' && /^[UW][A-Z0-9]{2,20}$/.test(mention.id)) return `<@${mention.id}>`;
      return '';
    })
    .filter(Boolean)
    .join(' ');
}

function fillSlack(parts: TemplatePart[], card: ArticleCard, look: PostLook, room: number): string {
  const valueCount = Math.max(1, parts.filter((part) => part.kind === 'value').length);
  const share = Math.max(16, Math.floor(room / valueCount));
  const safeParts = parts.map((part) => (part.kind === 'text' ? { ...part, text: templateLiteral(part.text) } : part));
  const values = card.template?.values ?? cardTemplateValues(card);

  const filled = fillFromSource(
    safeParts,
    { values, published: card.template?.published ?? card.published },
    {
      timeZone: look.timeZone,
      escape: (text) => truncate(escapeMrkdwn(text), share),
      cap: (text) => text,
    },
  );
  return truncate(filled, room);
}

function section(text: string, accessory?: slackTypes.ImageElement): Block {
  const block: slackTypes.SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: text || ' ', verbatim: true },
  };
  if (accessory) block.accessory = accessory;
  return block;
}

/** The blocks of one post with a look; `cardBlocks` is today's card, used by the `card` style. */
export function slackPost(card: ArticleCard, look: PostLook, cardBlocks: Block[]): { text: string; blocks: Block[] } {
  const mentions = mentionLine(look);
  const prefix = mentions ? `${mentions} ` : '';
  const room = SECTION - prefix.length;
  const templated = look.template ? fillSlack(look.template, card, look, room) : undefined;
  const alt = plain(breakBroadcasts(card.title || card.id), 200) || 'image';
  const blocks: Block[] = [];
  if (look.style === 'card') {
    if (templated || prefix) blocks.push(section(`${prefix}${templated ?? ''}`));
    blocks.push(...cardBlocks);
    if (card.image) blocks.push({ type: 'image', image_url: card.image, alt_text: alt });
  } else {
    const source = card.sourceName ? ` · ${escapeMrkdwn(plain(card.sourceName, 100))}` : '';
    const line = templated ?? truncate(`*${mrkdwnLink(card.url, plain(card.title, 300))}*${source}`, room);
    const thumb =
      look.style === 'compact' && card.image
        ? ({ type: 'image', image_url: card.image, alt_text: alt } as const)
        : undefined;
    blocks.push(section(`${prefix}${line}`, thumb));
  }
  const fallback = `${prefix}${escapeMrkdwn(plain(card.title, 300))}`;
  return { text: fallback, blocks };
}
