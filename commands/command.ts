import { z } from 'zod';
import type { ChannelId } from '../src/domain/channel.js';
import type { ChannelPlace, Invoker } from '../src/domain/invocation.js';
import type { SpaceLimits } from '../src/domain/limits.js';
import type { Reply } from '../src/domain/reply.js';
import type { Article, ArticleSummary } from '../src/domain/article.js';
import type { Subscription } from '../src/domain/subscription.js';
import type { FeedCommandsPort } from '../src/ingest/feeds/feed-commands-port.js';
import type { Stores } from '../src/store/ports.js';

/** One option of a subcommand. The same list drives validation, Discord registration and Slack help. */
export interface OptionSpec {
  name: string;
  description: string;
  /**
   * `attachment`: a file the user attaches (Discord's option type 11). It cannot be typed: the
   * adapter downloads it and hands the command its text under the option's name.
   */
  type: 'string' | 'integer' | 'attachment';
  required: boolean;
  /** Offered as the user types (Discord autocomplete): article titles, schedule presets, IANA zones. */
  autocomplete?: 'article-id' | 'schedule' | 'timezone';
  min?: number;
  max?: number;
  /** Takes the rest of the text line (e.g. search words). Only the last option may. */
  rest?: boolean;
}

/** What a command may use. Passed as a plain object; commands touch nothing else. */
export interface CommandContext {
  stores: Stores;
  user: Invoker;
  channel: ChannelId;
  /** ISO 8601, so tests can pin time. */
  now: () => string;
  /** A summary provider other than the stored extractive one (an LLM); falls back by itself. */
  summarize?: (article: Article) => Promise<ArticleSummary>;
  /** The guild or workspace of the channel, when the platform says. */
  space?: string;
  /** Scheduling, when a bot is running (not in the one-shot CLI). */
  delivery?: DeliveryControl;
  /** Feed management, for the feeds commands. */
  feeds?: FeedCommandsPort;
  /** Per-space caps (schedule frequency, subscriptions, feeds); the defaults when absent. */
  limits?: SpaceLimits;
  /** The channel's kind (a Discord forum and its tags), when the platform told us. */
  place?: ChannelPlace;
}

/** What subscription commands need from the running scheduler. */
export interface DeliveryControl {
  defaultSchedule: string;
  defaultTimezone: string;
  /** When a subscription's channel is next posted to. */
  nextRun(subscription: Pick<Subscription, 'schedule' | 'timezone'>): Date | undefined;
  /** Subscriptions changed: start or stop the cron jobs that serve them. */
  changed(): Promise<void>;
}

export interface Command<Args = Record<string, unknown>> {
  /** Subcommand name, e.g. `latest`; `feeds add` for a nested one. */
  name: string;
  description: string;
  options: OptionSpec[];
  /** Only users with `canManage` may run it. */
  managesChannel?: boolean;
  run(ctx: CommandContext, args: Args): Promise<Reply>;
}

/** The zod schema for a command's options, built from the specs so there is one source of truth. */
export function optionsSchema(options: OptionSpec[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const option of options) {
    let field: z.ZodType;
    if (option.type === 'integer') {
      let int = z.coerce
        .number({ error: `${option.name} must be a whole number` })
        .int(`${option.name} must be a whole number`);
      if (option.min !== undefined) int = int.min(option.min, `${option.name} must be at least ${option.min}`);
      if (option.max !== undefined) int = int.max(option.max, `${option.name} must be at most ${option.max}`);
      field = int;
    } else {
      field = z.string().trim().min(1, `${option.name} must not be empty`);
    }
    shape[option.name] = option.required ? field : field.optional();
  }
  return z.object(shape).strict();
}
