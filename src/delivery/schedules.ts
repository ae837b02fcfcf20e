import cron, { type ScheduledTask } from 'node-cron';
import type { ChannelId } from '../domain/channel.js';
import type { Subscription } from '../domain/subscription.js';
import type { Logger } from '../logger.js';

export interface ScheduleRegistry {
  /** Make the running cron jobs match these subscriptions: one job per distinct schedule and zone. */
  sync(subscriptions: Subscription[]): void;
  /** When this subscription's channel is next posted to. */
  nextRun(subscription: Pick<Subscription, 'schedule' | 'timezone'>): Date | undefined;
  stop(): Promise<void>;
}

/** Which job posts to a subscription's channel: its schedule and time zone, or the defaults. */
export function scheduleKey(
  subscription: Pick<Subscription, 'schedule' | 'timezone'>,
  defaults: { defaultSchedule: string; defaultTimezone: string },
): string {
  return `${subscription.schedule ?? defaults.defaultSchedule}\u0000${subscription.timezone ?? defaults.defaultTimezone}`;
}

/**
 * Real node-cron jobs, one per schedule in use. Each fire ticks the dispatcher for the channels on
 * that schedule; channels sharing POST_SCHEDULE share one job.
 */
export function createScheduleRegistry(deps: {
  defaultSchedule: string;
  defaultTimezone: string;
  log: Logger;
  /** `key` names the schedule (expression and zone), the same on every replica. */
  onTick: (channels: ChannelId[], key: string) => Promise<unknown>;
}): ScheduleRegistry {
  const jobs = new Map<string, { task: ScheduledTask; channels: ChannelId[] }>();
  const keyOf = (subscription: Pick<Subscription, 'schedule' | 'timezone'>) => scheduleKey(subscription, deps);

  return {
    sync(subscriptions) {
      const wanted = new Map<string, ChannelId[]>();
      for (const subscription of subscriptions) {
        if (subscription.paused) continue;
        const key = keyOf(subscription);
        wanted.set(key, [...(wanted.get(key) ?? []), subscription.channel]);
      }
      for (const [key, job] of jobs) {
        if (!wanted.has(key)) {
          void job.task.destroy();
          jobs.delete(key);
        }
      }
      for (const [key, channels] of wanted) {
        const existing = jobs.get(key);
        if (existing) {
          existing.channels = channels;
          continue;
        }
        const [expression = deps.defaultSchedule, timezone = deps.defaultTimezone] = key.split('\u0000');
        const entry = { channels, task: undefined as unknown as ScheduledTask };
        entry.task = cron.schedule(
          expression,
          async () => {
            try {
              await deps.onTick(entry.channels, key);
            } catch (err) {
              deps.log.error({ err, schedule: expression }, 'scheduled posting failed');
            }
          },
          { timezone, noOverlap: true, name: `post ${expression} ${timezone}` },
        );
        jobs.set(key, entry);
      }
    },
    nextRun(subscription) {
      const job = jobs.get(keyOf(subscription));
      if (job) return job.task.getNextRun() ?? undefined;
      const probe = cron.createTask(subscription.schedule ?? deps.defaultSchedule, () => undefined, {
        timezone: subscription.timezone ?? deps.defaultTimezone,
      });
      const next = probe.getNextRun() ?? undefined;
      void probe.destroy();
      return next;
    },
    async stop() {
      for (const job of jobs.values()) await job.task.destroy();
      jobs.clear();
    },
  };
}
