import type { types as slackTypes } from '@slack/bolt';
import type { ArticleCard, PostLook } from '../../domain/reply.js';
import { breakBroadcasts, escapeMrkdwn, plain } from './mrkdwn.js';
import { mentionLine, slackPost } from './post.js';

type Block = slackTypes.KnownBlock;

/**
 * A digest in the subscription's look: the configured mentions once, the heading, then each article as
 * a single post of that style shows it (`cardBlocks` is today's card for one article). Articles that do
 * not fit in `maxBlocks` are left out with an "…and N more" line.
 */
export function slackDigest(
  cards: ArticleCard[],
  look: PostLook,
  heading: string,
  cardBlocks: (card: ArticleCard) => Block[],
  maxBlocks: number,
): { text: string; blocks: Block[] } {
  const mentions = mentionLine(look);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: plain(breakBroadcasts(heading), 150) || 'News digest' } },
  ];
  if (mentions) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mentions, verbatim: true } });
  // Each article without the mentions: they are above, once.
  const quiet: PostLook = { ...look, mentions: [] };
  const separate = look.style === 'card';
  let shown = 0;
  for (const card of cards) {
    const post = slackPost(card, quiet, separate ? cardBlocks(card) : []).blocks;
    const next = separate && shown > 0 ? [{ type: 'divider' } as Block, ...post] : post;
    // One block stays free for the "…and N more" line.
    if (blocks.length + next.length > maxBlocks - 1) break;
    blocks.push(...next);
    shown += 1;
  }
  if (shown < cards.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${cards.length - shown} more`, verbatim: true }],
    });
  }
  // The notification text is what pings: the configured mentions, then the heading, escaped.
  const text = `${mentions ? `${mentions} ` : ''}${escapeMrkdwn(plain(heading, 200))}`;
  return { text, blocks };
}
