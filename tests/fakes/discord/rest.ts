import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyEdit, buildMessage, snowflake, type FakeUser } from './payloads.js';
import type { ArrivalFloor } from '../arrival-floor.js';
import { answerDelay } from '../latency.js';
import { channelMessages, takeRule, type FakeState } from './state.js';
import { threadRoute } from './threads.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Params = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  auth: string | undefined;
  /** When the request's headers arrived (epoch ms), before its body was read. */
  arrivedAt: number;
  /** The earliest it can have come in: before `arrivedAt` when the loop read it late. */
  earliestAt: number;
};

const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

export interface RestDeps {
  state: FakeState;
  user: FakeUser;
  gatewayUrl: () => string;
  onRequest: () => void;
  arrivals: ArrivalFloor;
}

/** The REST side of the fake Discord, under `/api/v10`. Every request is recorded. */
export function createRestHandler(deps: RestDeps) {
  const { state } = deps;

  function messagesBucket(channelId: string): { headers: Record<string, string>; over: boolean } {
    const now = Date.now();
    let bucket = state.buckets.get(channelId);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: state.bucket.limit, resetAt: now + state.bucket.windowMs };
      state.buckets.set(channelId, bucket);
    }
    const over = bucket.remaining <= 0;
    if (!over) bucket.remaining -= 1;
    const resetAfter = Math.max(0, bucket.resetAt - now) / 1000;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(state.bucket.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': String(bucket.resetAt / 1000),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': 'fake-channel-messages',
    };
    if (over) Object.assign(headers, { 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' });
    return { headers, over };
  }

  /**
   * A global 429 when this request would certainly be one too many in the sliding window; undefined
   * when within the limit. It came in at `earliest` or after and by `now` at the latest: the window
   * counts the requests before it that certainly came within a window of `now`, so a bunch the loop
   * read late (not a bunch the client sent) is never taken for a burst over the limit.
   */
  function overGlobal(now: number, earliest: number): Reply | undefined {
    const limit = state.globalLimit;
    if (!limit) return undefined;
    const arrivals = state.globalArrivals;
    while (arrivals.length > 0 && arrivals[0]! <= now - limit.windowMs) arrivals.shift();
    if (arrivals.length < limit.limit) {
      // Checked once the body is read, so nearly (not always) in arrival order: kept sorted.
      let index = arrivals.length;
      while (index > 0 && arrivals[index - 1]! > earliest) index -= 1;
      arrivals.splice(index, 0, earliest);
      return undefined;
    }
    state.globalOverLimit += 1;
    const retryAfter = Math.max(0.001, (arrivals[0]! + limit.windowMs - now) / 1000);
    return {
      status: 429,
      headers: {
        'retry-after': String(Math.ceil(retryAfter)),
        'x-ratelimit-global': 'true',
        'x-ratelimit-scope': 'global',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
    };
  }

  function interactionFor(id: string | undefined, token: string | undefined) {
    return [...state.interactions.values()].find(
      (record) => (id === undefined || record.id === id) && record.token === token,
    );
  }

  function route(p: Params): Reply {
    const parts = p.path.split('/').filter(Boolean);
    const needsAuth = parts[0] !== 'interactions' && parts[0] !== 'webhooks';
    const token = p.auth?.startsWith('Bot ') ? p.auth.slice(4) : undefined;
    const authorized = token === state.token || (token !== undefined && state.replicaTokens.has(token));
    if (needsAuth && !authorized) return error(401, 0, '401: Unauthorized');
    // Interaction callbacks and webhooks are not bound by the bot's global limit.
    const globalRefusal = needsAuth ? overGlobal(p.arrivedAt, p.earliestAt) : undefined;
    if (globalRefusal) return globalRefusal;
    const [a, b, c, d, e] = parts;

    if (p.method === 'GET' && p.path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: deps.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    if (p.method === 'GET' && p.path === '/users/@me') return { status: 200, body: deps.user };
    if (p.method === 'GET' && p.path === '/applications/@me') {
      return {
        status: 200,
        body: { id: state.applicationId, name: 'newsdesk', bot: deps.user, flags: 0, description: '' },
      };
    }

    // Command registration: PUT/GET /applications/{app}/commands and …/guilds/{guild}/commands
    if (a === 'applications' && b === state.applicationId) {
      const guild = c === 'guilds' ? d : undefined;
      const isCommands = guild ? e === 'commands' && parts.length === 5 : c === 'commands' && parts.length === 3;
      if (isCommands && p.method === 'PUT') {
        if (!Array.isArray(p.body)) return error(400, 50035, 'Invalid Form Body');
        const saved = (p.body as Record<string, unknown>[]).map((command) => ({
          ...command,
          id: snowflake(),
          application_id: state.applicationId,
          version: snowflake(),
          ...(guild ? { guild_id: guild } : {}),
        }));
        if (guild) state.commands.guilds.set(guild, saved);
        else state.commands.global = saved;
        return { status: 200, body: saved };
      }
      if (isCommands && p.method === 'GET') {
        return { status: 200, body: guild ? (state.commands.guilds.get(guild) ?? []) : state.commands.global };
      }
    }

    const threads = threadRoute(state, deps.user, p.method, parts, p.body);
    if (threads) return threads;

    if (a === 'channels' && b && c === 'messages') {
      if (state.missing.has(b)) return error(404, 10003, 'Unknown Channel');
      const refused = state.forbidden.get(b);
      if (refused !== undefined)
        return error(403, refused, refused === 50001 ? 'Missing Access' : 'Missing Permissions');
      const list = channelMessages(state, b);
      if (p.method === 'POST' && !d) {
        const { headers, over } = messagesBucket(b);
        if (over) {
          state.overLimit += 1;
          return {
            status: 429,
            headers,
            body: {
              message: 'You are being rate limited.',
              retry_after: Number(headers['retry-after']),
              global: false,
            },
          };
        }
        const nonce = p.body.nonce;
        const key = `${b}:${String(nonce)}`;
        if (p.body.enforce_nonce === true && nonce !== undefined && state.nonces.has(key)) {
          return { status: 200, headers, body: state.nonces.get(key) };
        }
        const message = buildMessage(b, deps.user, p.body);
        list.push(message);
        if (nonce !== undefined) state.nonces.set(key, message);
        return { status: 200, headers, body: message };
      }
      if (p.method === 'GET' && !d) {
        const limit = Number(p.query.get('limit') ?? 50);
        return { status: 200, body: [...list].reverse().slice(0, limit) };
      }
      const message = list.find((m) => m.id === d);
      if (!message) return error(404, 10008, 'Unknown Message');
      if (p.method === 'PATCH') return { status: 200, body: applyEdit(message, p.body) };
      if (p.method === 'GET') return { status: 200, body: message };
    }

    // POST /interactions/{id}/{token}/callback
    if (a === 'interactions' && p.method === 'POST' && d === 'callback') {
      const record = interactionFor(b, c);
      if (!record || record.expired || Date.now() - record.createdAt > state.interactionWindowMs) {
        return error(404, 10062, 'Unknown interaction');
      }
      if (record.callbacks.length > 0) return error(400, 40060, 'Interaction has already been acknowledged.');
      const type = Number(p.body.type);
      const data = p.body.data as Record<string, unknown> | undefined;
      record.callbacks.push({ type, data, at: Date.now() });
      if (type === 4 || type === 7) {
        record.original = buildMessage(String(record.payload.channel_id), deps.user, data ?? {});
        record.original.application_id = state.applicationId;
        record.original.webhook_id = state.applicationId;
      }
      if (type === 5) {
        record.original = buildMessage(String(record.payload.channel_id), deps.user, {
          flags: (data?.flags as number) ?? 0,
        });
        record.original.flags |= 128; // LOADING
      }
      return p.query.get('with_response') === 'true'
        ? {
            status: 200,
            body: { interaction: { id: record.id, type: record.type }, resource: { type, message: record.original } },
          }
        : { status: 204 };
    }

    // Follow-ups and edits: /webhooks/{app}/{token}[/messages/@original]
    if (a === 'webhooks' && b === state.applicationId && c) {
      const record = interactionFor(undefined, c);
      if (!record || record.callbacks.length === 0) return error(404, 10015, 'Unknown Webhook');
      if (!d && p.method === 'POST') {
        const message = buildMessage(String(record.payload.channel_id), deps.user, p.body);
        record.followups.push(message);
        return { status: 200, body: message };
      }
      if (d === 'messages' && e === '@original') {
        if (!record.original || record.originalDeleted) return error(404, 10008, 'Unknown Message');
        if (p.method === 'PATCH') {
          record.originalEdits.push(p.body);
          record.original.flags &= ~128;
          return { status: 200, body: applyEdit(record.original, p.body) };
        }
        if (p.method === 'DELETE') {
          record.originalDeleted = true;
          return { status: 204 };
        }
        if (p.method === 'GET') return { status: 200, body: record.original };
      }
    }
    return error(404, 0, `404: Not Found (${p.method} ${p.path})`);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Limits count arrivals: the moment the headers are in, not after this loop got round to the body.
    const arrivedAt = Date.now();
    const earliestAt = Math.min(arrivedAt, deps.arrivals.now());
    // Then let the loop read the other sockets of a burst before this one's work: handled one by one
    // first, the 50th request of a burst was stamped tens of milliseconds after it arrived, and a
    // lane's next request, stamped on time, looked less than a window after it.
    await new Promise((resolve) => setImmediate(resolve));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Record<string, unknown> = {};
    const type = String(req.headers['content-type'] ?? '');
    try {
      if (type.startsWith('multipart/form-data')) {
        // Attachments: discord.js sends payload_json plus files[n]; the fake keeps the files' text beside the payload.
        const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
        body = JSON.parse(String(form.get('payload_json') ?? '{}'));
        const uploads: { field: string; name: string; text: string }[] = [];
        for (const [field, value] of form.entries()) {
          if (typeof value !== 'string') uploads.push({ field, name: value.name, text: await value.text() });
        }
        // An interaction callback nests the message under data; a plain message is the body itself.
        const message = body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : body;
        message.uploads = uploads;
      } else {
        body = raw ? JSON.parse(raw) : {};
      }
    } catch {
      body = {};
    }
    const rule = takeRule(state, method, path);
    const reply: Reply = rule
      ? { status: rule.status, body: rule.body ?? {}, headers: rule.headers }
      : route({
          method,
          path,
          query: url.searchParams,
          body,
          auth: req.headers.authorization,
          arrivedAt,
          earliestAt,
        });
    const recorded = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: raw ? body : undefined,
      at: arrivedAt,
      earliestAt,
      status: reply.status,
    };
    state.requests.push(recorded);
    await state.beforeAnswer?.(recorded);
    // Counted and recorded on arrival (above); only the answer travels slowly.
    await answerDelay(state.latency);
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(reply.body));
    }
    deps.onRequest();
  };
}
