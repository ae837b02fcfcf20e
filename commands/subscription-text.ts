import type { Subscription } from '../src/domain/subscription.js';
import { describeFilter, regexProblem } from '../src/domain/subscription.js';
import { NewsdeskError } from '../src/domain/errors.js';
import { describeMention, presentationOf } from '../src/domain/presentation.js';
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
    lookLine(subscription),
    subscription.origin === 'config' ? 'from configuration' : undefined,
    problem ? `QUARANTINED, nothing is posted: ${problem} Subscribe again with a new filter.` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Style and the rest, only where they differ from today's card, so a plain subscription reads as before. */
function lookLine(subscription: Subscription): string | undefined {
  if (!subscription.presentation) return undefined;
  const look = presentationOf(subscription.presentation);
  const parts = [
    look.style !== 'card' ? `style ${look.style}` : undefined,
    look.template
      ? `template "${look.template.length > 80 ? `${look.template.slice(0, 79)}…` : look.template}"`
      : undefined,
    look.image ? undefined : 'no images',
    look.mentions.length > 0 ? `mentions ${look.mentions.map(describeMention).join(' ')}` : undefined,
    look.mentions.length > 0 && look.mentionFilter ? `only for "${look.mentionFilter.slice(0, 80)}"` : undefined,
    look.thread ? 'threads on' : undefined,
    look.tags.length > 0 ? `forum tags ${look.tags.map((tag) => tag.name).join(', ')}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

export async function requireSubscription(ctx: CommandContext): Promise<Subscription> {
  const subscription = await ctx.stores.subscriptions.getSubscription(ctx.channel);
  if (!subscription)
    throw new NewsdeskError('not_found', 'This channel has no subscription. Start one with /news subscribe.');
  return subscription;
}
