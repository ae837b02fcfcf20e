import cron from 'node-cron';
import { NewsdeskError } from '../src/domain/errors.js';
import { DEFAULT_LIMITS, shortestCronInterval } from '../src/domain/limits.js';
import { emptyFilter, matchesFilter, parseFilter, type Subscription } from '../src/domain/subscription.js';
import type { Command, CommandContext } from './command.js';
import { OPERATOR_SPACE } from '../src/domain/space.js';
import { isOperator, spaceOf } from './space-scope.js';
import { describeSubscription } from './subscription-text.js';

const MAX_BACKFILL = 25;

/** Schedules set by command run at most once per SCHEDULE_MIN_SECONDS (POST_SCHEDULE is the operator's). */
function checkFrequency(schedule: string, minSeconds: number): void {
  const interval = shortestCronInterval(schedule);
  if (interval === undefined) {
    const hint = 'use numbers, ranges, lists and */steps. Nothing was saved.';
    throw new NewsdeskError('bad_input', `"${schedule}" uses cron syntax the frequency check cannot read; ${hint}`);
  }
  if (interval < minSeconds) {
    const allowed = `this bot allows at most one run every ${minSeconds} s. Nothing was saved.`;
    throw new NewsdeskError('bad_input', `"${schedule}" would post every ${interval} s; ${allowed}`);
  }
}

function checkTimezone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new NewsdeskError('bad_input', `"${zone}" is not a time zone. Use a name like Europe/Berlin or UTC.`);
  }
}

type SubscribeArgs = {
  schedule?: string;
  filter?: string;
  digest?: number;
  backfill?: number;
  timezone?: string;
  feeds?: string;
};

/** `feeds=a1,b2`: ids the space can see (its own links or the operator's), else a refusal naming the first unknown. */
async function chosenFeeds(ctx: CommandContext, text: string | undefined): Promise<string[] | undefined> {
  if (!text) return undefined;
  const ids = [
    ...new Set(
      text
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].slice(0, 50);
  if (ids.length === 0) return undefined;
  const space = spaceOf(ctx);
  const port = ctx.feeds ?? ctx.stores.feeds;
  const visible = new Set([...(await port.list(space)), ...(await port.list(OPERATOR_SPACE))].map((feed) => feed.id));
  const unknown = ids.find((id) => !visible.has(id));
  if (unknown)
    throw new NewsdeskError('not_found', `No feed with id "${unknown}". See /news feeds list. Nothing was saved.`);
  return ids;
}

export const subscribeCommand: Command<SubscribeArgs> = {
  name: 'subscribe',
  description: 'Post new articles to this channel',
  managesChannel: true,
  options: [
    {
      name: 'schedule',
      description: 'Cron schedule, e.g. "0 9 * * *" (default: the bot-wide schedule)',
      type: 'string',
      required: false,
    },
    {
      name: 'filter',
      description: 'Words, -excluded, "phrases", tag:x, source:x or /regex/',
      type: 'string',
      required: false,
    },
    {
      name: 'digest',
      description: 'Post one digest of up to N articles per run (0 = one post each)',
      type: 'integer',
      required: false,
      min: 0,
      max: 10,
    },
    {
      name: 'backfill',
      description: 'Also post the newest N articles now (default 0)',
      type: 'integer',
      required: false,
      min: 0,
      max: MAX_BACKFILL,
    },
    { name: 'timezone', description: 'Time zone of the schedule, e.g. Europe/Berlin', type: 'string', required: false },
    {
      name: 'feeds',
      description: 'Only these feed ids, comma-separated (default: everything this server sees)',
      type: 'string',
      required: false,
    },
  ],
  async run(ctx, args) {
    if (args.schedule && !cron.validate(args.schedule)) {
      throw new NewsdeskError(
        'bad_input',
        `"${args.schedule}" is not a cron schedule. Example: "0 9 * * *" for 09:00 every day. Nothing was saved.`,
      );
    }
    const limits = ctx.limits ?? DEFAULT_LIMITS;
    if (args.schedule) checkFrequency(args.schedule, limits.scheduleMinSeconds);
    if (args.timezone) checkTimezone(args.timezone);
    let filter = emptyFilter();
    try {
      if (args.filter) filter = parseFilter(args.filter);
    } catch (err) {
      throw new NewsdeskError('bad_input', `${(err as Error).message} Nothing was saved.`);
    }
    const feeds = await chosenFeeds(ctx, args.feeds);
    const existing = await ctx.stores.subscriptions.getSubscription(ctx.channel);
    if (!existing && !isOperator(ctx)) {
      const all = await ctx.stores.subscriptions.listSubscriptions(spaceOf(ctx));
      const count = all.filter((sub) => sub.origin === 'command').length;
      const cap = limits.subscriptionsPerSpace;
      if (count >= cap) {
        const what = `This server already has ${count} subscriptions, the most allowed (${cap}).`;
        throw new NewsdeskError(
          'bad_input',
          `${what} Remove one with /news unsubscribe in its channel first. Nothing was saved.`,
        );
      }
    }
    const subscription: Subscription = {
      channel: ctx.channel,
      space: spaceOf(ctx),
      ...(feeds ? { feeds } : {}),
      schedule: args.schedule,
      timezone: args.timezone,
      filter,
      digest: args.digest ?? 0,
      paused: false,
      origin: 'command',
      createdBy: ctx.user.id,
      createdAt: existing?.createdAt ?? ctx.now(),
    };
    await ctx.stores.subscriptions.putSubscription(subscription);
    let queued = 0;
    if (args.backfill) {
      const candidates = await ctx.stores.articles.latest(Math.min(200, args.backfill * 10), spaceOf(ctx));
      const wanted = await feedIdsByUrl(ctx, feeds);
      const chosen = candidates
        .filter((article) => !wanted || (article.origin.kind === 'feed' && wanted.has(article.origin.feedUrl)))
        .filter((article) => matchesFilter(article, filter))
        .slice(0, args.backfill);
      // Oldest first, so the channel reads in order.
      for (const article of chosen.reverse())
        queued += await ctx.stores.deliveries.enqueue(article.id, [ctx.channel], ctx.now());
    }
    await ctx.delivery?.changed();
    const verb = existing ? 'Subscription updated' : 'Subscribed';
    const backfill = args.backfill
      ? ` ${queued} recent article${queued === 1 ? '' : 's'} will be posted on the next run.`
      : ' New articles will be posted from now on.';
    return { kind: 'text', tone: 'info', title: verb, text: `${describeSubscription(subscription, ctx)}.${backfill}` };
  },
};

/** The URLs of the chosen feeds (articles carry their feed's URL). */
async function feedIdsByUrl(ctx: CommandContext, ids: string[] | undefined): Promise<Set<string> | undefined> {
  if (!ids) return undefined;
  const urls = new Set<string>();
  for (const id of ids) {
    const feed = await ctx.stores.feeds.get(id);
    if (feed) urls.add(feed.url);
  }
  return urls;
}
