import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { WebSocketServer, type WebSocket } from 'ws';
import { type ArrivalFloor, createArrivalFloor } from '../arrival-floor.js';
import { answerDelay, type Latency } from '../latency.js';
import { homeActionBody, homeOpenedBody } from './home-events.js';
import { postSigned } from './sign.js';
import { FakeSlackFiles } from './fake-files.js';

/** One Web API call as the fake received it. Nested JSON fields (blocks, metadata) are parsed. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  authorization?: string;
}

/** One POST to a response_url. */
export interface ResponseCall {
  path: string;
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Send `body` (a string or Buffer) as it is, not as JSON: the upload and file hosts. */
  raw?: boolean;
}

type Handler = (params: Record<string, unknown>) => FakeAnswer | Record<string, unknown>;

export interface FakeSlackOptions {
  /**
   * Enforce Slack's chat.postMessage limit of about one per second per channel, in a sliding
   * window of arrival times; past it the fake answers 429 with Retry-After. A benchmark may shrink
   * `windowMs` (with the limit scaled to match). Off by default.
   */
  postLimit?: { perChannel: number; windowMs: number };
  /**
   * A workspace-wide cap on chat.postMessage (SLACK_WORKSPACE_RATE), in a sliding window of arrival
   * times across all channels; past it the fake answers 429 with Retry-After, like the per-channel one.
   */
  workspaceLimit?: { limit: number; windowMs: number };
  /** Every Web API answer is held this long after the call arrived (and was counted); none by default. */
  latency?: Latency;
}

/** How the fake answered one chat.postMessage. */
export interface PostAnswer {
  channel: string;
  status: number;
  ok: boolean;
  /** metadata.event_payload.article_id, when the post carried it. */
  articleId?: string;
  at: number;
  /** The earliest the post can have come in (at most `at`): the fake may have read it late, see arrival-floor.ts. */
  earliestAt: number;
}

interface StoredMessage {
  ts: string;
  text?: unknown;
  blocks?: unknown;
  metadata?: unknown;
}

/**
 * A small Slack on 127.0.0.1: the Web API under `/api/<method>` (form-encoded, as the WebClient
 * sends it), response_url endpoints under `/response/<id>`, and a Socket Mode WebSocket at
 * `/socket` handed out by `apps.connections.open`. It records everything it is sent.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseCall[] = [];
  readonly socketMessages: Record<string, unknown>[] = [];
  /** Every chat.postMessage answer, in order (ok ones are the posts that exist). */
  readonly postAnswers: PostAnswer[] = [];
  /** chat.postMessage calls answered 429 because they went over `postLimit`. */
  overLimit = 0;
  /** chat.postMessage calls answered 429 because they went over `workspaceLimit`. */
  workspaceOverLimit = 0;
  private readonly workspaceArrivals: number[] = [];
  /** Called with each chat.postMessage answer before it is written (a test may kill the client here). */
  beforePostAnswer?: (answer: PostAnswer) => void;
  /** Hold every chat.postMessage answer this long (a slow Slack: posts stay in flight). */
  postDelayMs = 0;
  /** Hold every chat.postMessage answer until this settles (an outage that lasts as long as a test says). */
  postHold: Promise<void> | undefined;
  /** Time between a Web API call's arrival and its answer; may be changed while running. */
  latency: Latency | undefined;
  private arrivals: ArrivalFloor | undefined;
  /** Hold auth.test's answer this long (a slow start-up: the adapter is not ready yet). */
  authDelayMs = 0;
  /** When auth.test was last answered (epoch ms). */
  authAnsweredAt: number | undefined;
  /** The last Home tab view published for each user (views.publish), as Slack would show it. */
  readonly homeViews = new Map<string, { type: string; blocks: unknown[] }>();
  private readonly postArrivals = new Map<string, number[]>();
  /** users.info answers, by user id. */
  readonly users = new Map<string, { is_admin?: boolean; is_owner?: boolean; name?: string }>();
  /** File uploads (files.uploadV2) and files users shared, with their host on this port. */
  readonly fileHost = new FakeSlackFiles(
    () => `http://127.0.0.1:${this.port}`,
    () => this.notify(),
  );
  private readonly handlers = new Map<string, Handler>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly waiters = new Set<() => void>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private sockets: WebSocket[] = [];
  private nextTs = 1_700_000_000;
  port = 0;

  constructor(private readonly options: FakeSlackOptions = {}) {
    this.latency = options.latency;
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (answer) => {
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(answer.raw ? (answer.body as string | Buffer) : JSON.stringify(answer.body));
        },
        (err: unknown) => {
          res.writeHead(500).end(String(err));
        },
      );
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data) => {
        this.socketMessages.push(JSON.parse(String(data)) as Record<string, unknown>);
        this.notify();
      });
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          connection_info: { app_id: 'A111' },
          debug_info: { host: 'fake' },
        }),
      );
    });
  }

  async start(): Promise<this> {
    this.arrivals ??= createArrivalFloor();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.arrivals?.stop();
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Replace the answer to one Web API method; without a handler, restore the default answer. */
  on(method: string, handler?: Handler): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `check` returns something truthy; rejects after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const first = check();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error('FakeSlack.waitFor timed out'));
      }, timeoutMs);
      const waiter = () => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends a Socket Mode envelope to every connected client. */
  sendEnvelope(envelope: Record<string, unknown>): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
  }

  /** Close every Socket Mode connection, as Slack does on a refresh or an outage. */
  dropSockets(): void {
    for (const socket of this.sockets) socket.close(1001, 'fake-slack drop');
    this.sockets = [];
  }

  get connectedSockets(): number {
    return this.sockets.filter((socket) => socket.readyState === socket.OPEN).length;
  }

  /** Sends `app_home_opened` to our events URL, signed as Slack signs it. */
  async openHome(
    eventsUrl: string,
    signingSecret: string,
    fields: { userId: string; teamId: string; tab?: 'home' | 'messages' },
  ) {
    return postSigned(eventsUrl, { signingSecret, rawBody: homeOpenedBody(fields), contentType: 'application/json' });
  }

  /** Presses a Home tab button (`block_actions` from a view), signed. */
  async clickHome(
    eventsUrl: string,
    signingSecret: string,
    fields: { userId: string; teamId: string; actionId: string; value: string },
  ) {
    return postSigned(eventsUrl, { signingSecret, rawBody: homeActionBody(fields) });
  }

  private publishView(params: Record<string, unknown>): Record<string, unknown> {
    const view = params.view as { type?: unknown; blocks?: unknown } | undefined;
    if (typeof params.user_id !== 'string' || !params.user_id) return { ok: false, error: 'invalid_arguments' };
    // parseParams only turns text that starts with { into an object: anything else was not JSON.
    if (!view || typeof view !== 'object' || view.type !== 'home' || !Array.isArray(view.blocks)) {
      return { ok: false, error: 'invalid_arguments' };
    }
    if (view.blocks.length > HOME_MAX_BLOCKS) return { ok: false, error: 'invalid_blocks' };
    this.homeViews.set(params.user_id, { type: 'home', blocks: view.blocks });
    return { ok: true, view: { id: 'V111', type: 'home', blocks: view.blocks } };
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async handle(req: IncomingMessage): Promise<FakeAnswer> {
    // Limits count arrivals: the moment the headers are in, not after this loop got round to the body.
    const arrivedAt = Date.now();
    const earliestAt = Math.min(arrivedAt, this.arrivals?.now() ?? arrivedAt);
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const served = await this.fileHost.serve(path, bytes, req.headers);
    if (served) return served;
    if (path.startsWith('/response/')) {
      this.responses.push({ path, body: JSON.parse(raw) as Record<string, unknown> });
      this.notify();
      return { body: { ok: true } };
    }
    const method = path.replace(/^\/api\//, '');
    const params = parseParams(raw, req.headers['content-type']);
    this.calls.push({ method, params, authorization: req.headers.authorization });
    if (method === 'chat.postMessage' && this.postDelayMs > 0) {
      this.notify();
      await new Promise((resolve) => setTimeout(resolve, this.postDelayMs));
    }
    if (method === 'chat.postMessage' && this.postHold) {
      this.notify();
      await this.postHold;
    }
    const custom = this.handlers.get(method);
    const limited =
      method === 'chat.postMessage' && !custom
        ? this.overPostLimit(String(params.channel), arrivedAt, earliestAt)
        : undefined;
    const answer = limited ?? (custom ? custom(params) : this.defaultAnswer(method, params));
    const full: FakeAnswer = 'body' in answer ? (answer as FakeAnswer) : { body: answer };
    if (method === 'chat.postMessage') this.recordPost(params, full, earliestAt);
    // Record first, notify after the answer is computed so waiters see consistent state.
    setImmediate(() => this.notify());
    // Counted and recorded on arrival (above); only the answer travels slowly.
    await answerDelay(this.latency);
    if (method === 'auth.test' && this.authDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.authDelayMs));
    if (method === 'auth.test') this.authAnsweredAt = Date.now();
    return full;
  }

  /**
   * A 429 when this post would certainly be one too many for its channel or for the workspace; a post
   * refused is not counted. It came in at `earliest` or after, by `now` at the latest: the windows
   * keep the earliest, so a bunch this loop read late is not taken for a burst (see arrival-floor.ts).
   */
  private overPostLimit(channel: string, now: number, earliest: number): FakeAnswer | undefined {
    const limit = this.options.postLimit;
    const workspace = this.options.workspaceLimit;
    const arrivals = this.postArrivals.get(channel) ?? [];
    if (limit) while (arrivals.length > 0 && arrivals[0]! <= now - limit.windowMs) arrivals.shift();
    const all = this.workspaceArrivals;
    if (workspace) while (all.length > 0 && all[0]! <= now - workspace.windowMs) all.shift();
    const refuse = (oldest: number, windowMs: number): FakeAnswer => {
      const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
    };
    if (limit && arrivals.length >= limit.perChannel) {
      this.overLimit += 1;
      return refuse(arrivals[0]!, limit.windowMs);
    }
    if (workspace && all.length >= workspace.limit) {
      this.workspaceOverLimit += 1;
      return refuse(all[0]!, workspace.windowMs);
    }
    if (limit) {
      insertSorted(arrivals, earliest);
      this.postArrivals.set(channel, arrivals);
    }
    if (workspace) insertSorted(all, earliest);
    return undefined;
  }

  private recordPost(params: Record<string, unknown>, answer: FakeAnswer, earliestAt: number): void {
    const metadata = params.metadata as { event_payload?: { article_id?: unknown } } | undefined;
    const articleId = metadata?.event_payload?.article_id;
    const ok = (answer.status ?? 200) === 200 && (answer.body as { ok?: unknown } | undefined)?.ok === true;
    const recorded: PostAnswer = {
      channel: String(params.channel),
      status: answer.status ?? 200,
      ok,
      articleId: typeof articleId === 'string' ? articleId : undefined,
      at: Date.now(),
      earliestAt,
    };
    this.postAnswers.push(recorded);
    this.beforePostAnswer?.(recorded);
  }

  private defaultAnswer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'newsdesk',
          team_id: 'T111',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case 'chat.postMessage': {
        const channel = String(params.channel);
        const ts = `${this.nextTs++}.000100`;
        const stored = { ts, text: params.text, blocks: params.blocks, metadata: params.metadata };
        this.messages.set(channel, [stored, ...(this.messages.get(channel) ?? [])]);
        return { ok: true, channel, ts, message: { ...stored, type: 'message' } };
      }
      case 'views.publish':
        return this.publishView(params);
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(params.users)}` } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts };
      case 'users.info': {
        const user = this.users.get(String(params.user));
        return user ? { ok: true, user: { id: params.user, ...user } } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.history': {
        const all = this.messages.get(String(params.channel)) ?? [];
        // Slack leaves metadata out unless include_all_metadata is set.
        const withMeta = params.include_all_metadata === 'true' || params.include_all_metadata === true;
        return {
          ok: true,
          messages: all.map((message) => (withMeta ? message : { ...message, metadata: undefined })),
          has_more: false,
        };
      }
      default:
        return this.fileHost.answer(method, params) ?? { ok: false, error: 'unknown_method' };
    }
  }
}

/** Slack's Home tab limits: a JSON view object of type home with at most 100 blocks. */
const HOME_MAX_BLOCKS = 100;

function insertSorted(times: number[], at: number): void {
  let index = times.length;
  while (index > 0 && times[index - 1]! > at) index -= 1;
  times.splice(index, 0, at);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(raw))) {
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    params[key] = /^[[{]/.test(text) ? JSON.parse(text) : text;
  }
  return params;
}
