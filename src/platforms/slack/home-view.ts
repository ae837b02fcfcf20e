import type { types as slackTypes } from '@slack/bolt';
import type { SubscriptionOverview, WorkspaceOverview } from '../../../commands/workspace-overview.js';
import { parseChannelId } from '../../domain/channel.js';
import { escapeMrkdwn, slackDate, truncate } from './mrkdwn.js';

type Block = slackTypes.KnownBlock;

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

/** Slack's limits for a Home tab view (docs: reference/views/home-tab-views, block-kit/blocks). */
export const HOME_LIMITS = { blocks: 100, section: 3_000, context: 2_000, header: 150 } as const;

/** The Home tab's buttons; each value is the subscription's channel id, checked again on the server. */
export const HOME_ACTIONS = { pause: 'home_pause', resume: 'home_resume', retry: 'home_retry' } as const;
export type HomeAction = keyof typeof HOME_ACTIONS;

/** At most this many feed sections; a long list ends with "and N more". */
const FEED_SECTIONS = 3;

export interface HomeViewOptions {
  /** Managers get pause, resume and retry buttons; members see the same view without them. */
  canManage: boolean;
  /** The outcome of the last button press, shown at the top (plain text). */
  notice?: { text: string; tone: 'info' | 'error' };
}

/** Pure: a workspace's overview → the Home tab. Every stored text is escaped here. */
export function renderHomeView(overview: WorkspaceOverview, options: HomeViewOptions): HomeView {
  const top: Block[] = [header('newsdesk')];
  if (options.notice) {
    const icon = options.notice.tone === 'error' ? ':warning: ' : ':white_check_mark: ';
    top.push(context(`${icon}${escapeMrkdwn(options.notice.text)}`));
  }
  top.push(
    context(
      options.canManage
        ? 'What this workspace gets. You may pause, resume and retry; `/news subscribe` changes the rest.'
        : 'What this workspace gets. Workspace admins and owners may pause, resume and retry.',
    ),
  );
  const feeds = feedBlocks(overview);
  const subscriptions = subscriptionBlocks(
    overview.subscriptions,
    options.canManage,
    HOME_LIMITS.blocks - top.length - feeds.length,
  );
  return { type: 'home', blocks: [...top, ...subscriptions, ...feeds] };
}

function subscriptionBlocks(rows: SubscriptionOverview[], canManage: boolean, room: number): Block[] {
  const blocks: Block[] = [header(`Subscriptions (${rows.length})`)];
  if (rows.length === 0) {
    blocks.push(section('None yet. Start one in a channel with `/news subscribe`.'));
    return blocks;
  }
  const perRow = canManage ? 3 : 2;
  // One block for the heading, one kept for the "and N more" line.
  const fits = Math.max(0, Math.floor((room - 2) / perRow));
  const shown = rows.length > fits ? rows.slice(0, fits) : rows;
  for (const row of shown) {
    blocks.push(section(describeRow(row)), context(deliveryLine(row)));
    if (canManage) blocks.push(buttons(row));
  }
  if (shown.length < rows.length) blocks.push(context(`…and ${rows.length - shown.length} more subscriptions`));
  return blocks;
}

function channelLabel(channel: string): string {
  const native = parseChannelId(channel)?.nativeId ?? channel;
  // Our own ids only: a stored id that is not a Slack channel id is shown as text, never as markup.
  return /^[A-Z0-9]{2,30}$/.test(native) ? `<#${native}>` : escapeMrkdwn(channel);
}

function describeRow(row: SubscriptionOverview): string {
  const status =
    row.status === 'quarantined'
      ? `:warning: *quarantined*, nothing is posted: ${escapeMrkdwn(row.problem ?? '')}`
      : row.status === 'paused'
        ? ':double_vertical_bar: *paused*'
        : ':large_green_circle: active';
  const schedule = row.schedule ? `\`${escapeMrkdwn(row.schedule)}\`` : 'the default schedule';
  const zone = row.timezone ? ` (${escapeMrkdwn(row.timezone)})` : '';
  const lines = [
    `*${channelLabel(row.channel)}* · ${status}`,
    `Schedule: ${schedule}${zone} · ${row.digest > 0 ? `digest of up to ${row.digest}` : 'one post per article'}`,
    `Filter: ${escapeMrkdwn(row.filter)}`,
    ...(row.origin === 'config' ? ['From the configuration'] : []),
  ];
  return lines.join('\n');
}

function deliveryLine(row: SubscriptionOverview): string {
  const last = row.lastPost
    ? `Last post ${slackDate(row.lastPost.at) ?? escapeMrkdwn(row.lastPost.at)}: ${escapeMrkdwn(truncate(row.lastPost.title, 200))}`
    : 'Last post: none yet';
  const waiting = `waiting ${row.pending}${row.retrying > 0 ? ` (${row.retrying} retrying)` : ''}`;
  const failures =
    row.failures === 0
      ? 'failures: none'
      : `failures: ${row.failures >= 5 ? '5+' : row.failures}${row.lastFailure ? `, last: ${escapeMrkdwn(truncate(row.lastFailure, 300))}` : ''}`;
  return [last, waiting, failures].join(' · ');
}

function buttons(row: SubscriptionOverview): Block {
  const elements: slackTypes.Button[] = [];
  if (row.status === 'paused') elements.push(button('Resume', 'resume', row.channel, 'primary'));
  else elements.push(button('Pause', 'pause', row.channel));
  if (row.failures > 0) elements.push(button('Retry failed posts', 'retry', row.channel));
  return { type: 'actions', elements };
}

function feedBlocks(overview: WorkspaceOverview): Block[] {
  const own = overview.feeds.filter((feed) => feed.own);
  const shared = overview.feeds.filter((feed) => !feed.own);
  const lines = [
    ...(own.length > 0
      ? own.map((feed) => `• ${escapeMrkdwn(feed.line)}`)
      : ['None of your own yet: `/news feeds add <url>`.']),
    ...(shared.length > 0
      ? [`*From the operator* (read-only, ${shared.length}):`, ...shared.map((feed) => `• ${escapeMrkdwn(feed.line)}`)]
      : []),
  ];
  const blocks: Block[] = [header(`Feeds (${own.length})`)];
  let used = 0;
  let current = '';
  let sections = 0;
  for (const line of lines) {
    const bounded = truncate(line, 500);
    const next = current ? `${current}\n${bounded}` : bounded;
    if (next.length <= HOME_LIMITS.section) {
      current = next;
      used += 1;
      continue;
    }
    if (sections + 1 === FEED_SECTIONS) break;
    blocks.push(section(current));
    sections += 1;
    current = bounded;
    used += 1;
  }
  if (current) blocks.push(section(current));
  const hidden = lines.length - used;
  if (hidden > 0) blocks.push(context(`…and ${hidden} more feed lines; \`/news feeds list\` shows them all.`));
  return blocks;
}

function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: text.slice(0, HOME_LIMITS.header) } };
}

function section(text: string): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, HOME_LIMITS.section) || ' ', verbatim: true },
  };
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, HOME_LIMITS.context), verbatim: true }] };
}

function button(label: string, action: HomeAction, channel: string, style?: 'primary'): slackTypes.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: HOME_ACTIONS[action],
    value: channel,
    ...(style ? { style } : {}),
  };
}
