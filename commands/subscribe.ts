import cron from 'node-cron';
import { NewsdeskError } from '../src/domain/errors.js';
import { DEFAULT_LIMITS, shortestCronInterval } from '../src/domain/limits.js';
import { emptyFilter, matchesFilter, parseFilter, type Subscription } from '../src/domain/subscription.js';
import type { Command } from './command.js';
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

export const subscribeCommand: Command<{ schedule?: string; filter?: string; digest?: number; backfill?: number; timezone?: string }> = {
  name: 'subscribe',
  description: 'Post new articles to this channel',
  managesChannel: true,
  options: [
    { name: 'schedule', description: 'Cron schedule, e.g. "0 9 * * *" (default: the bot-wide schedule)', type: 'string', required: false },
    { name: 'filter', description: 'Words, -excluded, "phrases", tag:x, source:x or /regex/', type: 'string', required: false },
    { name: 'digest', description: 'Post one digest of up to N articles per run (0 = one post each)', type: 'integer', required: false, min: 0, max: 10 },
    { name: 'backfill', description: 'Also post the newest N articles now (default 0)', type: 'integer', required: false, min: 0, max: MAX_BACKFILL },
    { name: 'timezone', description: 'Time zone of the schedule, e.g. Europe/Berlin', type: 'string', required: false },
  ],
  async run(ctx, args) {
    if (args.schedule && !cron.validate(args.schedule)) {
      throw new NewsdeskError('bad_input', `"${args.schedule}" is not a cron schedule. Example: "0 9 * * *" for 09:00 every day. Nothing was saved.`);
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
    const existing = await ctx.stores.subscriptions.getSubscription(ctx.channel);
    if (!existing && ctx.space) {
      const all = await ctx.stores.subscriptions.listSubscriptions(ctx.space);
      const count = all.filter((sub) => sub.origin === 'command').length;
      const cap = limits.subscriptionsPerSpace;
      if (count >= cap) {
        const what = `This server already has ${count} subscriptions, the most allowed (${cap}).`;
        throw new NewsdeskError('bad_input', `${what} Remove one with /news unsubscribe in its channel first. Nothing was saved.`);
      }
    }
    const subscription: Subscription = {
      channel: ctx.channel,
      space: ctx.space,
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
      const candidates = await ctx.stores.articles.latest(Math.min(200, args.backfill * 10));
      const chosen = candidates.filter((article) => matchesFilter(article, filter)).slice(0, args.backfill);
      // Oldest first, so the channel reads in order.
      for (const article of chosen.reverse()) queued += await ctx.stores.deliveries.enqueue(article.id, [ctx.channel], ctx.now());
    }
    await ctx.delivery?.changed();
    const verb = existing ? 'Subscription updated' : 'Subscribed';
    const backfill = args.backfill ? ` ${queued} recent article${queued === 1 ? '' : 's'} will be posted on the next run.` : ' New articles will be posted from now on.';
    return { kind: 'text', tone: 'info', title: verb, text: `${describeSubscription(subscription, ctx)}.${backfill}` };
  },
};
