import type { ChannelId } from '../src/domain/channel.js';
import { OPERATOR_SPACE } from '../src/domain/space.js';
import { describeFilter, regexProblem, type Subscription } from '../src/domain/subscription.js';
import type { FeedRecord } from '../src/store/feed-ports.js';
import type { Stores } from '../src/store/ports.js';
import { feedLine } from './feeds-list.js';
import { shownUrl } from './space-scope.js';

/** One subscription as an overview (a Slack Home tab) shows it. Every text is plain: renderers escape it. */
export interface SubscriptionOverview {
  channel: ChannelId;
  /** The cron expression, or undefined for the configured default. */
  schedule?: string;
  timezone?: string;
  filter: string;
  digest: number;
  status: 'active' | 'paused' | 'quarantined';
  /** Why a quarantined subscription posts nothing. */
  problem?: string;
  origin: Subscription['origin'];
  lastPost?: { at: string; title: string; articleId: string };
  pending: number;
  retrying: number;
  /** Failed posts (the most recent `failureSample`), with the newest reason. */
  failures: number;
  lastFailure?: string;
}

export interface FeedOverview {
  id: string;
  /** The one line `/news feeds list` shows, with the URL as this space may see it. */
  line: string;
  /** The operator's feeds are read-only for a workspace. */
  own: boolean;
  disabled: boolean;
}

export interface WorkspaceOverview {
  subscriptions: SubscriptionOverview[];
  feeds: FeedOverview[];
}

/** How many failed rows per channel are read: enough to say "5+", bounded for a channel failing for days. */
const FAILURE_SAMPLE = 5;

/**
 * What a space has: its subscriptions with their delivery status, its feed links and the operator's
 * feeds. Read-only and scoped to `space`; each line comes from the same store calls and text helpers
 * as `/news subscriptions`, `/news status` and `/news feeds list`.
 */
export async function workspaceOverview(stores: Stores, space: string): Promise<WorkspaceOverview> {
  const subscriptions = await stores.subscriptions.listSubscriptions(space);
  const rows: SubscriptionOverview[] = [];
  for (const subscription of subscriptions) rows.push(await subscriptionOverview(stores, subscription));
  const own = await stores.feeds.list(space);
  const mine = new Set(own.map((feed) => feed.id));
  const operator = space === OPERATOR_SPACE ? [] : await stores.feeds.list(OPERATOR_SPACE);
  const shared = operator.filter((feed) => !mine.has(feed.id));
  return {
    subscriptions: rows,
    feeds: [
      ...own.map((feed) => feedOverview(feed, true, feed.url)),
      ...shared.map((feed) => feedOverview(feed, false, shownUrl(feed.url, [], space))),
    ],
  };
}

function feedOverview(feed: FeedRecord, own: boolean, url: string): FeedOverview {
  return { id: feed.id, line: feedLine(feed, url), own, disabled: feed.disabled };
}

async function subscriptionOverview(stores: Stores, subscription: Subscription): Promise<SubscriptionOverview> {
  const status = await stores.deliveries.channelStatus(subscription.channel, FAILURE_SAMPLE);
  const problem = regexProblem(subscription.filter.regex);
  let lastPost: SubscriptionOverview['lastPost'];
  if (status.lastSent) {
    const article = await stores.articles.get(status.lastSent.articleId);
    lastPost = {
      at: status.lastSent.updatedAt,
      title: article?.title ?? status.lastSent.articleId,
      articleId: status.lastSent.articleId,
    };
  }
  return {
    channel: subscription.channel,
    schedule: subscription.schedule,
    timezone: subscription.timezone,
    filter: describeFilter(subscription.filter),
    digest: subscription.digest,
    status: problem ? 'quarantined' : subscription.paused ? 'paused' : 'active',
    ...(problem ? { problem } : {}),
    origin: subscription.origin,
    lastPost,
    pending: status.pending,
    retrying: status.retrying.length,
    failures: status.failed.length,
    lastFailure: status.failed[0]?.lastError,
  };
}

/**
 * The subscription of `channel` if it belongs to `space`, else undefined. A button names its channel in
 * a value the client sends back, so a change made from one is checked against the clicker's space here.
 */
export async function subscriptionInSpace(
  stores: Stores,
  channel: string,
  space: string,
): Promise<Subscription | undefined> {
  const subscription = await stores.subscriptions.getSubscription(channel as ChannelId);
  return subscription && (subscription.space ?? OPERATOR_SPACE) === space ? subscription : undefined;
}
