import type { ChannelId } from '../domain/channel.js';
import type { Delivery, DeliveryState } from '../domain/delivery.js';
import type { Presentation } from '../domain/presentation.js';
import type { Subscription, SubscriptionFilter } from '../domain/subscription.js';
import type { FeedRecord, FeedStatusPatch } from './feed-ports.js';

// Rows as both databases return them. SQLite has no booleans (0 or 1); PostgreSQL does.
type Flag = number | boolean;
const flag = (value: Flag): boolean => value === true || value === 1;

export interface SubscriptionRow {
  channel: string;
  space: string | null;
  feeds?: string | null;
  schedule: string | null;
  timezone: string | null;
  filter: string;
  digest: number;
  paused: Flag;
  origin: 'config' | 'command';
  created_by: string | null;
  created_at: string;
  presentation?: string | null;
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    channel: row.channel as ChannelId,
    space: row.space ?? undefined,
    ...(row.feeds ? { feeds: JSON.parse(row.feeds) as string[] } : {}),
    schedule: row.schedule ?? undefined,
    timezone: row.timezone ?? undefined,
    filter: JSON.parse(row.filter) as SubscriptionFilter,
    digest: row.digest,
    paused: flag(row.paused),
    origin: row.origin,
    createdBy: row.created_by ?? undefined,
    createdAt: row.created_at,
    ...(row.presentation ? { presentation: parsePresentation(row.presentation) } : {}),
  };
}

/** A hand-edited or truncated column must not take the subscription down: it falls back to the card. */
function parsePresentation(json: string): Partial<Presentation> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Partial<Presentation>) : undefined;
  } catch {
    return undefined;
  }
}

export interface FeedRow {
  id: string;
  url: string;
  title: string | null;
  added_by: string | null;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  next_poll_at: string | null;
  failures: number;
  first_failure_at: string | null;
  disabled: Flag;
  last_error: string | null;
  polls: number;
}

/** Feed status fields and their columns. Only these names ever reach the SQL text of an update. */
export const FEED_COLUMNS: Record<keyof FeedStatusPatch, string> = {
  title: 'title',
  etag: 'etag',
  lastModified: 'last_modified',
  lastPolledAt: 'last_polled_at',
  nextPollAt: 'next_poll_at',
  failures: 'failures',
  firstFailureAt: 'first_failure_at',
  disabled: 'disabled',
  lastError: 'last_error',
  polls: 'polls',
};

export function toFeedRecord(row: FeedRow): FeedRecord {
  const record: FeedRecord = {
    id: row.id,
    url: row.url,
    addedAt: row.added_at,
    failures: row.failures,
    disabled: flag(row.disabled),
    polls: row.polls,
  };
  if (row.title !== null) record.title = row.title;
  if (row.added_by !== null) record.addedBy = row.added_by;
  if (row.etag !== null) record.etag = row.etag;
  if (row.last_modified !== null) record.lastModified = row.last_modified;
  if (row.last_polled_at !== null) record.lastPolledAt = row.last_polled_at;
  if (row.next_poll_at !== null) record.nextPollAt = row.next_poll_at;
  if (row.first_failure_at !== null) record.firstFailureAt = row.first_failure_at;
  if (row.last_error !== null) record.lastError = row.last_error;
  return record;
}

export interface DeliveryRow {
  article_id: string;
  channel: string;
  state: DeliveryState;
  attempts: number;
  message_id: string | null;
  last_error: string | null;
  not_before: string | null;
  created_at: string;
  updated_at: string;
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    articleId: row.article_id,
    channel: row.channel as ChannelId,
    state: row.state,
    attempts: row.attempts,
    messageId: row.message_id ?? undefined,
    lastError: row.last_error ?? undefined,
    notBefore: row.not_before ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
