import cron from 'node-cron';
import { NewsdeskError } from '../src/domain/errors.js';
import { DEFAULT_LIMITS, shortestCronInterval } from '../src/domain/limits.js';
import { parseChannelId } from '../src/domain/channel.js';
import {
  parseMentions,
  parseOnOff,
  parseStyle,
  presentationOf,
  resolveForumTags,
  templateParts,
} from '../src/domain/presentation.js';
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

interface SubscribeArgs {
  schedule?: string;
  filter?: string;
  digest?: number;
  backfill?: number;
  timezone?: string;
  template?: string;
  style?: string;
  image?: string;
  mention?: string;
  mention_filter?: string;
  thread?: string;
  tags?: string;
  reset?: string;
  feeds?: string;
}

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

/** Options `reset=` may clear, each back to its default. */
const RESETTABLE = [
  'schedule',
  'timezone',
  'filter',
  'digest',
  'template',
  'style',
  'image',
  'mention',
  'mention_filter',
  'thread',
  'tags',
  'feeds',
];

function parseReset(text: string | undefined): Set<string> {
  const names = new Set(
    (text ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((name) => name.toLowerCase()),
  );
  for (const name of names) {
    if (!RESETTABLE.includes(name)) {
      throw new NewsdeskError(
        'bad_input',
        `reset takes one of ${RESETTABLE.join(', ')}; "${name.slice(0, 40)}" is not one. Nothing was saved.`,
      );
    }
  }
  return names;
}

function filterFrom(text: string, what: string): ReturnType<typeof parseFilter> {
  try {
    return parseFilter(text);
  } catch (err) {
    const where = what === 'filter' ? '' : `${what}: `;
    throw new NewsdeskError('bad_input', `${where}${(err as Error).message} Nothing was saved.`);
  }
}

/** The subscription after this command: options given replace, `reset` clears, the rest stay as they were. */
function merged(
  ctx: CommandContext,
  args: SubscribeArgs,
  existing: Subscription | undefined,
  feeds: string[] | undefined,
): Subscription {
  const reset = parseReset(args.reset);
  const keep = <T>(name: string, given: T | undefined, current: T | undefined): T | undefined =>
    given !== undefined ? given : reset.has(name) ? undefined : current;
  const before = presentationOf(existing?.presentation);
  if (args.template !== undefined) templateParts(args.template);
  if (args.mention_filter !== undefined) filterFrom(args.mention_filter, 'mention_filter');
  const mentions =
    args.mention !== undefined ? parseMentions(args.mention, parseChannelId(ctx.channel)?.platform ?? '') : undefined;
  const presentation = {
    style: keep('style', args.style !== undefined ? parseStyle(args.style) : undefined, before.style) ?? 'card',
    template: keep('template', args.template, before.template),
    image: keep('image', args.image !== undefined ? parseOnOff('image', args.image) : undefined, before.image) ?? true,
    mentions: keep('mention', mentions, before.mentions) ?? [],
    mentionFilter: keep('mention_filter', args.mention_filter, before.mentionFilter),
    thread:
      keep('thread', args.thread !== undefined ? parseOnOff('thread', args.thread) : undefined, before.thread) ?? false,
    tags:
      keep(
        'tags',
        args.tags !== undefined
          ? resolveForumTags(args.tags, ctx.place?.kind === 'forum' ? ctx.place.tags : undefined)
          : undefined,
        before.tags,
      ) ?? [],
  };
  return {
    channel: ctx.channel,
    space: spaceOf(ctx),
    ...(feeds ? { feeds } : {}),
    schedule: keep('schedule', args.schedule, existing?.schedule),
    timezone: keep('timezone', args.timezone, existing?.timezone),
    filter:
      keep('filter', args.filter !== undefined ? filterFrom(args.filter, 'filter') : undefined, existing?.filter) ??
      emptyFilter(),
    digest: keep('digest', args.digest, existing?.digest) ?? 0,
    paused: existing?.paused ?? false,
    origin: 'command',
    createdBy: existing?.createdBy ?? ctx.user.id,
    createdAt: existing?.createdAt ?? ctx.now(),
    presentation,
  };
}

export const subscribeCommand: Command<SubscribeArgs> = {
  name: 'subscribe',
  description: 'Post new articles to this channel (options not given keep their value)',
  managesChannel: true,
  options: [
    {
      name: 'schedule',
      description: 'When to post: a preset or a cron expression like "0 9 * * *"',
      type: 'string',
      required: false,
      autocomplete: 'schedule',
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
    {
      name: 'timezone',
      description: 'Time zone of the schedule, e.g. Europe/Berlin',
      type: 'string',
      required: false,
      autocomplete: 'timezone',
    },
    {
      name: 'template',
      description: 'Post text with {title} {url} {summary} {source} {published:D MMM} …',
      type: 'string',
      required: false,
    },
    {
      name: 'style',
      description: 'card (default), compact (one line) or text (the template only)',
      type: 'string',
      required: false,
    },
    { name: 'image', description: 'Show the lead image: on (default) or off', type: 'string', required: false },
    {
      name: 'mention',
      description: 'Roles or people to ping, e.g. @Role (never @everyone)',
      type: 'string',
      required: false,
    },
    {
      name: 'mention_filter',
      description: 'Ping only for articles matching these words (filter syntax)',
      type: 'string',
      required: false,
    },
    {
      name: 'thread',
      description: 'on: a thread per post (Discord); button answers in the thread (Slack)',
      type: 'string',
      required: false,
    },
    {
      name: 'tags',
      description: 'Forum channels: tags for each post, by name, comma-separated',
      type: 'string',
      required: false,
    },
    {
      name: 'feeds',
      description: 'Only these feed ids, comma-separated (default: everything this server sees)',
      type: 'string',
      required: false,
    },
    {
      name: 'reset',
      description: 'Clear options back to their default, e.g. "filter" or "template,mention"',
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
    const existing = await ctx.stores.subscriptions.getSubscription(ctx.channel);
    const given = await chosenFeeds(ctx, args.feeds);
    const feeds = args.feeds !== undefined ? given : parseReset(args.reset).has('feeds') ? undefined : existing?.feeds;
    const subscription = merged(ctx, args, existing, feeds);
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
    await ctx.stores.subscriptions.putSubscription(subscription);
    let queued = 0;
    if (args.backfill) {
      const candidates = await ctx.stores.articles.latest(Math.min(200, args.backfill * 10), spaceOf(ctx));
      const wanted = await feedIdsByUrl(ctx, feeds);
      const chosen = candidates
        .filter((article) => !wanted || (article.origin.kind === 'feed' && wanted.has(article.origin.feedUrl)))
        .filter((article) => matchesFilter(article, subscription.filter))
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
    return {
      kind: 'text',
      tone: 'info',
      title: verb,
      text: `${describeSubscription(subscription, ctx)}.${backfill}${placementNote(ctx, subscription)}`,
    };
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

/** Where each article lands, when that is not a plain message in the channel. */
function placementNote(ctx: CommandContext, subscription: Subscription): string {
  const look = presentationOf(subscription.presentation);
  if (ctx.place?.kind === 'forum') {
    const tags = look.tags.length > 0 ? `, tagged ${look.tags.map((tag) => tag.name).join(', ')}` : '';
    return ` This is a forum: each article becomes its own post, titled after the article${tags}.`;
  }
  if (look.thread && parseChannelId(ctx.channel)?.platform === 'discord') {
    return ' Each post gets a thread named after the article; its Summary and Sources buttons answer in that thread.';
  }
  return '';
}
