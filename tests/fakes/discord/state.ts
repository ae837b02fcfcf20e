import type { Latency } from '../latency.js';
import type { StoredMessage } from './payloads.js';

/** One request as the fake saw it. `path` has the `/api/v10` prefix removed. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
  /** The earliest it can have come in (at most `at`): the fake may have read it late, see arrival-floor.ts. */
  earliestAt: number;
  status: number;
}

/** A scripted failure: the next `times` matching requests get this answer instead. */
export interface FailRule {
  method?: string;
  path: string | RegExp;
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  times?: number;
  /** Epoch ms: the rule answers every matching request until then (a storm or an outage), whatever `times` says. */
  until?: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  payload: Record<string, unknown>;
  createdAt: number;
  /** Answer with 10062 (Unknown interaction) as if the 3 s had passed. */
  expired: boolean;
  callbacks: { type: number; data?: Record<string, unknown>; at: number }[];
  original?: StoredMessage;
  originalDeleted: boolean;
  originalEdits: Record<string, unknown>[];
  followups: StoredMessage[];
}

/** A channel the fake knows by more than its id: forums and their tags, threads (see threads.ts). */
export interface FakeChannel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  parent_id?: string;
  owner_id?: string;
  available_tags?: {
    id: string;
    name: string;
    moderated: boolean;
    emoji_id: string | null;
    emoji_name: string | null;
  }[];
  applied_tags?: string[];
  thread_metadata?: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean };
  message_count?: number;
  member_count?: number;
  flags?: number;
}

export interface FakeState {
  token: string;
  /** More tokens of the same bot (one per replica, so a test can tell whose request it is); same limits. */
  replicaTokens: Set<string>;
  applicationId: string;
  guildId: string;
  /** Forums, their tags, and threads; any other id is a text channel of the guild. */
  channels: Map<string, FakeChannel>;
  requests: RecordedRequest[];
  rules: FailRule[];
  /** Channels that answer 403 with this Discord code. */
  forbidden: Map<string, number>;
  /** Channels that do not exist (404, 10003). */
  missing: Set<string>;
  messages: Map<string, StoredMessage[]>;
  /** nonce → message, per channel, for enforce_nonce. */
  nonces: Map<string, StoredMessage>;
  commands: { global: unknown[]; guilds: Map<string, unknown[]> };
  interactions: Map<string, InteractionRecord>;
  /** Per-channel message bucket, with X-RateLimit-* headers like Discord's. */
  bucket: { limit: number; windowMs: number };
  buckets: Map<string, { remaining: number; resetAt: number }>;
  /** Requests that went over the advertised bucket (a well-behaved client never does). */
  overLimit: number;
  /** Discord's global limit per bot (50 per second), over arrival times in a sliding window; off when undefined. */
  globalLimit?: { limit: number; windowMs: number };
  /** Earliest arrival times (epoch ms) of requests counted against the global limit, oldest first. */
  globalArrivals: number[];
  /** Requests answered 429 because they went over the global limit. */
  globalOverLimit: number;
  /**
   * Called with each request once it is handled and recorded, before its answer is written (a test may
   * kill the client here); the answer waits for the promise it returns (a test may hold requests in flight).
   */
  beforeAnswer?: (request: RecordedRequest) => void | Promise<void>;
  interactionWindowMs: number;
  /** Time between a request's arrival and its answer; a test may change it while running. */
  latency?: Latency;
}

export function takeRule(state: FakeState, method: string, path: string): FailRule | undefined {
  const now = Date.now();
  // Time-bounded rules that have run out are dropped before matching.
  for (let i = state.rules.length - 1; i >= 0; i -= 1)
    if (state.rules[i]!.until !== undefined && state.rules[i]!.until! <= now) state.rules.splice(i, 1);
  const index = state.rules.findIndex(
    (rule) =>
      (rule.method === undefined || rule.method.toUpperCase() === method) &&
      (typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)),
  );
  if (index < 0) return undefined;
  const rule = state.rules[index]!;
  if (rule.until !== undefined) return rule;
  rule.times = (rule.times ?? 1) - 1;
  if (rule.times <= 0) state.rules.splice(index, 1);
  return rule;
}

export function channelMessages(state: FakeState, channelId: string): StoredMessage[] {
  let list = state.messages.get(channelId);
  if (!list) {
    list = [];
    state.messages.set(channelId, list);
  }
  return list;
}
