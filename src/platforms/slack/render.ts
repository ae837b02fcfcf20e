import type { types as slackTypes } from '@slack/bolt';
import type { ArticleAction, ArticleCard, Reply } from '../../domain/reply.js';
import type { ArticleSource } from '../../domain/article.js';
import { boundReply } from '../bound-reply.js';
import { slackDigest } from './digest.js';
import { slackPost } from './post.js';
import { breakBroadcasts, escapeMrkdwn, mrkdwnLink, plain, slackDate, truncate } from './mrkdwn.js';

/**
 * A slash command carries typed words only, so on Slack a file reaches the bot as a shared file
 * (shared-files.ts), and the only subcommand a shared file runs is `feeds import`.
 */
const SHARE_FILE_HINT =
  'To import a file, send the .opml file to the bot in a direct message, or share it in a channel with a message that mentions the bot and says `feeds import`.';

export type SlackBlock = slackTypes.KnownBlock;

export interface SlackMessage {
  /** Fallback for notifications and clients without Block Kit. */
  text: string;
  blocks: SlackBlock[];
}

export interface SlackRenderOptions {
  /** Value for a "Post to channel" button (an ephemeral reply someone may share); no button when absent. */
  postToChannel?: string;
}

/** Slack's documented limits. */
export const LIMITS = {
  blocks: 50,
  header: 150,
  section: 3000,
  context: 2000,
  fallback: 3000,
  buttonValue: 2000,
} as const;

export const ACTION_IDS = { summary: 'news_summary', sources: 'news_sources', post: 'news_post' } as const;

/** Blocks kept free for the trailing "and N more" note and the share button. */
const RESERVED_BLOCKS = 2;

/** Pure: Reply → Block Kit. Every piece of article text is escaped here and nowhere else. */
export function renderSlack(reply: Reply, options: SlackRenderOptions = {}): SlackMessage {
  const rendered = renderBody(boundReply(reply));
  const blocks = rendered.blocks.slice(0, LIMITS.blocks - RESERVED_BLOCKS);
  if (options.postToChannel !== undefined && options.postToChannel.length <= LIMITS.buttonValue) {
    blocks.push({
      type: 'actions',
      elements: [button('Post to channel', ACTION_IDS.post, options.postToChannel, 'primary')],
    });
  }
  if (rendered.fallbackEscaped) return { text: truncate(rendered.text, LIMITS.fallback), blocks };
  // The fallback is mrkdwn too (it becomes the notification), so it is escaped like everything else.
  return { text: truncate(escapeMrkdwn(rendered.text), LIMITS.fallback), blocks };
}

function renderBody(reply: Reply): SlackMessage & { fallbackEscaped?: boolean } {
  switch (reply.kind) {
    case 'text': {
      const icon = reply.tone === 'error' ? ':warning: ' : '';
      const title = reply.title ? `*${escapeMrkdwn(plain(reply.title, 200))}*\n` : '';
      return {
        text: reply.title ? `${reply.title}: ${reply.text}` : reply.text,
        blocks: [section(`${icon}${title}${escapeMrkdwn(reply.text)}`)],
      };
    }
    case 'articles': {
      if (reply.look && reply.heading && reply.cards.length > 0) {
        const cardBlocks = (card: ArticleCard) => renderArticles([card], [], undefined).blocks;
        const digest = slackDigest(reply.cards, reply.look, reply.heading, cardBlocks, LIMITS.blocks - RESERVED_BLOCKS);
        return { ...digest, fallbackEscaped: true };
      }
      const plainCard = renderArticles(reply.cards, reply.actions, reply.heading, reply.empty);
      if (!reply.look || reply.cards.length !== 1 || reply.heading) return plainCard;
      const card = reply.cards[0]!;
      const post = slackPost(
        card,
        reply.look,
        plainCard.blocks.filter((block) => block.type !== 'actions'),
      );
      if (reply.actions.length > 0) post.blocks.push(actionsFor(card.id, reply.actions));
      // The fallback carries the configured mentions (the notification is what pings), escaped already.
      return { ...post, fallbackEscaped: true };
    }
    case 'summary': {
      const { article } = reply;
      const bullets = reply.sentences.map((sentence) => `• ${escapeMrkdwn(sentence)}`).join('\n');
      const link = article.url ? `\n${mrkdwnLink(article.url, 'Read the article')}` : '';
      const blocks: SlackBlock[] = [
        header(article.title),
        section(`${truncateLines(bullets, LIMITS.section - link.length)}${link}`),
      ];
      const notes = [
        ...(reply.basis ? [reply.basis] : []),
        ...(reply.machineWritten ? ['Summary written by a language model; check the article.'] : []),
      ];
      blocks.push(cardContext(article, notes), actionsFor(article.id, ['sources']));
      return { text: `Summary: ${article.title}`, blocks };
    }
    case 'sources':
      return renderSources(reply.article, reply.sources, reply.basis);
    case 'file': {
      // response_url cannot carry files: the listener uploads them; this is the fallback when that fails.
      const shown = reply.content.length > 2_800 ? `${reply.content.slice(0, 2_800)}\n…` : reply.content;
      return {
        text: reply.text,
        blocks: [
          section(`*${escapeMrkdwn(reply.name)}* ${escapeMrkdwn(reply.text)}`),
          section(`\`\`\`${escapeMrkdwn(shown)}\`\`\``),
        ],
      };
    }
    case 'help': {
      const lines = reply.entries.map((entry) =>
        entry.typedUsage === undefined
          ? `\`${escapeMrkdwn(entry.usage)}\` ${escapeMrkdwn(entry.description)}`
          : `\`${escapeMrkdwn(entry.typedUsage)}\` ${escapeMrkdwn(entry.description)}. ${SHARE_FILE_HINT}`,
      );
      return { text: reply.heading, blocks: [header(reply.heading), ...chunkSections(lines)] };
    }
  }
}

function renderArticles(
  cards: ArticleCard[],
  actions: ArticleAction[],
  heading?: string,
  empty?: string,
): SlackMessage {
  if (cards.length === 0) {
    const text = empty ?? 'No articles yet.';
    return { text, blocks: [section(escapeMrkdwn(text))] };
  }
  const blocks: SlackBlock[] = [];
  if (heading) blocks.push(header(heading));
  const single = cards.length === 1 && !heading;
  const perCard = (single ? 1 : 0) + 2 + (actions.length > 0 ? 1 : 0) + 1;
  const room = LIMITS.blocks - RESERVED_BLOCKS - blocks.length - 1;
  const shown = cards.slice(0, Math.max(1, Math.floor(room / perCard)));
  shown.forEach((card, index) => {
    if (index > 0) blocks.push({ type: 'divider' });
    if (single) blocks.push(header(card.title));
    const title = single ? '' : `*${mrkdwnLink(card.url, plain(card.title, 300))}*`;
    const link = single && card.url ? `\n${mrkdwnLink(card.url, 'Read the article')}` : '';
    const description = card.description ? escapeMrkdwn(card.description) : '';
    const joiner = title && description ? '\n' : '';
    const budget = LIMITS.section - title.length - joiner.length - link.length;
    blocks.push(
      section(`${title}${joiner}${truncate(description, Math.max(budget, 0))}${link}` || escapeMrkdwn(card.title)),
    );
    blocks.push(cardContext(card));
    if (actions.length > 0) blocks.push(actionsFor(card.id, actions));
  });
  if (shown.length < cards.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${cards.length - shown.length} more`)] });
  }
  const fallback = [heading, ...cards.map((card) => card.title)].filter(Boolean).join(' · ');
  return { text: fallback, blocks };
}

function renderSources(article: ArticleCard, sources: ArticleSource[], basis?: string): SlackMessage {
  const lines = sources.map((source) => {
    const name = source.url ? mrkdwnLink(source.url, source.name) : escapeMrkdwn(source.name);
    const role = source.role ? `, ${escapeMrkdwn(source.role)}` : '';
    const kinds = source.kinds.join(', ');
    const evidence = source.evidence[0]
      ? `\n> ${escapeMrkdwn(truncate(source.evidence[0].text.replace(/\s+/g, ' '), 300))}`
      : '';
    return `• *${name}*${role} (${kinds})${evidence}`;
  });
  const body = lines.length > 0 ? chunkSections(lines) : [section('No sources were found in this article.')];
  const blocks: SlackBlock[] = [
    header(`Sources: ${article.title}`),
    ...body.slice(0, LIMITS.blocks - RESERVED_BLOCKS - 3),
  ];
  blocks.push(cardContext(article, basis ? [basis] : []), actionsFor(article.id, ['summary']));
  return { text: `Sources: ${article.title}`, blocks };
}

function header(text: string): SlackBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: plain(breakBroadcasts(text), LIMITS.header) || 'Untitled' },
  };
}

/** `verbatim` stops Slack from linkifying channel names and mentions inside article text. */
function mrkdwn(text: string): slackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(truncate(text, LIMITS.section) || ' ') };
}

/** Lines packed into as few sections as fit 3,000 characters each; a line never straddles two. */
function chunkSections(lines: string[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.section && current) {
      blocks.push(section(current));
      current = line;
    } else {
      current = next;
    }
  }
  if (current) blocks.push(section(current));
  return blocks;
}

/** Drops whole trailing lines rather than cutting one in half. */
function truncateLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > max) break;
    out = next;
  }
  return out || truncate(text, max);
}

function cardContext(card: ArticleCard, notes: string[] = []): SlackBlock {
  const parts = [
    card.sourceName ? escapeMrkdwn(card.sourceName) : undefined,
    card.author ? `by ${escapeMrkdwn(card.author)}` : undefined,
    slackDate(card.published),
    `id \`${escapeMrkdwn(card.id)}\``,
  ].filter((part): part is string => part !== undefined);
  const elements = [mrkdwn(truncate(parts.join(' · '), LIMITS.context))];
  for (const note of notes) elements.push(mrkdwn(escapeMrkdwn(note)));
  return { type: 'context', elements };
}

function actionsFor(articleId: string, actions: ArticleAction[]): SlackBlock {
  return {
    type: 'actions',
    elements: actions.map((action) =>
      button(action === 'summary' ? 'Summary' : 'Sources', ACTION_IDS[action], articleId),
    ),
  };
}

function button(label: string, actionId: string, value: string, style?: 'primary'): slackTypes.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}
