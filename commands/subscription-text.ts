import type { Subscription } from '../src/domain/subscription.js';
import { describeFilter, regexProblem } from '../src/domain/subscription.js';
import { NewsdeskError } from '../src/domain/errors.js';
import type { CommandContext } from './command.js';

/** One line a person can read: what the channel gets, when, and how. */
export function describeSubscription(subscription: Subscription, ctx: CommandContext): string {
  const schedule = subscription.schedule ?? ctx.delivery?.defaultSchedule ?? 'the default schedule';
  const zone = subscription.timezone ?? ctx.delivery?.defaultTimezone ?? 'UTC';
  const next = subscription.paused ? undefined : ctx.delivery?.nextRun(subscription);
  const problem = regexProblem(subscription.filter.regex);
  return [
    `${subscription.channel}: ${describeFilter(subscription.filter)}`,
    subscription.feeds ? `feeds ${subscription.feeds.join(', ')} only` : undefined,
    subscription.digest > 0 ? `digest of up to ${subscription.digest}` : 'one post per article',
    `schedule "${schedule}" (${zone})`,
    subscription.paused
      ? 'PAUSED'
      : next
        ? `next post ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC`
        : undefined,
    subscription.origin === 'config' ? 'from configuration' : undefined,
    problem ? `QUARANTINED, nothing is posted: ${problem} Subscribe again with a new filter.` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

export async function requireSubscription(ctx: CommandContext): Promise<Subscription> {
  const subscription = await ctx.stores.subscriptions.getSubscription(ctx.channel);
  if (!subscription)
    throw new NewsdeskError('not_found', 'This channel has no subscription. Start one with /news subscribe.');
  return subscription;
}
