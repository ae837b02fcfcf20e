import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeUser } from './payloads.js';

/** Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway). */
const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d?: unknown;
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of this session, for replay on RESUME. */
  events: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
}

export interface FakeGatewayOptions {
  server: Server;
  url: () => string;
  token: string;
  /** Tokens accepted besides `token` (the same bot, one token per replica). */
  otherTokens?: ReadonlySet<string>;
  applicationId: string;
  user: FakeUser;
  heartbeatIntervalMs: number;
  onFrame: () => void;
}

/**
 * The gateway side of the fake: HELLO, IDENTIFY → READY, heartbeats and ACKs, dispatches, and
 * RESUME that replays what the client missed, like Discord does.
 */
export function createFakeGateway(options: FakeGatewayOptions) {
  const accepts = (token: string | undefined) =>
    token === options.token || (token !== undefined && Boolean(options.otherTokens?.has(token)));
  const wss = new WebSocketServer({ server: options.server });
  const frames: GatewayFrame[] = [];
  const sessions = new Map<string, Session>();
  let current: Session | undefined;
  /** Test switch: on the next RESUME, replay every event, also those the client acknowledged. */
  let replayEverythingOnce = false;
  /** Test switch: while true, every new connection is closed at once (an outage). */
  let refusing = false;

  function send(socket: WebSocket, payload: { op: number; d?: unknown; s?: number | null; t?: string | null }): void {
    frames.push({ direction: 'out', op: payload.op, t: payload.t ?? null, s: payload.s ?? null, d: payload.d });
    socket.send(JSON.stringify({ s: null, t: null, ...payload }));
    options.onFrame();
  }

  function sessionDispatch(session: Session, t: string, d: unknown): number {
    session.seq += 1;
    session.events.push({ s: session.seq, t, d });
    if (session.socket && session.socket.readyState === session.socket.OPEN) {
      send(session.socket, { op: OP.dispatch, t, s: session.seq, d });
    }
    return session.seq;
  }

  wss.on('connection', (socket, request) => {
    frames.push({ direction: 'in', op: -1, t: 'CONNECT', d: { url: request.url } });
    if (refusing) {
      socket.terminate();
      return;
    }
    send(socket, { op: OP.hello, d: { heartbeat_interval: options.heartbeatIntervalMs } });
    socket.on('message', (raw) => {
      let payload: { op: number; d: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      frames.push({ direction: 'in', op: payload.op, d: payload.d });
      options.onFrame();
      if (payload.op === OP.heartbeat) {
        send(socket, { op: OP.heartbeatAck });
      } else if (payload.op === OP.identify) {
        const d = payload.d as { token?: string; intents?: number };
        if (!accepts(d.token)) {
          socket.close(4004, 'Authentication failed');
          return;
        }
        const session: Session = { id: randomUUID().replace(/-/g, ''), seq: 0, events: [], socket };
        sessions.set(session.id, session);
        current = session;
        sessionDispatch(session, 'READY', {
          v: 10,
          user: options.user,
          guilds: [],
          session_id: session.id,
          resume_gateway_url: options.url(),
          shard: [0, 1],
          application: { id: options.applicationId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
          user_settings: {},
          _trace: ['fake-discord'],
        });
      } else if (payload.op === OP.resume) {
        const d = payload.d as { session_id?: string; seq?: number; token?: string };
        const session = d.session_id ? sessions.get(d.session_id) : undefined;
        if (!session || !accepts(d.token)) {
          send(socket, { op: OP.invalidSession, d: false });
          return;
        }
        session.socket = socket;
        current = session;
        const from = replayEverythingOnce ? 1 : (d.seq ?? 0);
        replayEverythingOnce = false;
        for (const event of session.events.filter((e) => e.s > from && e.t !== 'READY')) {
          send(socket, { op: OP.dispatch, t: event.t, s: event.s, d: event.d });
        }
        sessionDispatch(session, 'RESUMED', {});
      }
    });
  });

  return {
    frames,
    /** Send a dispatch to the current session; queued for replay if the client is away. */
    dispatch(t: string, d: unknown): number {
      if (!current) throw new Error('fake gateway: no session yet (has the client identified?)');
      return sessionDispatch(current, t, d);
    },
    /** Close the client's socket the way Discord does on trouble; the client should resume. */
    drop(code = 4000, opts: { replayEverything?: boolean } = {}): void {
      replayEverythingOnce = opts.replayEverything ?? false;
      current?.socket?.close(code, 'fake-discord drop');
    },
    /** An outage: close the client's socket and refuse to reconnect until `up()`. */
    down(): void {
      refusing = true;
      for (const client of wss.clients) client.terminate();
    },
    /** The outage is over: the client may connect (and resume) again. */
    up(): void {
      refusing = false;
    },
    count(op: number, direction: 'in' | 'out' = 'in'): number {
      return frames.filter((frame) => frame.op === op && frame.direction === direction).length;
    },
    connected(): boolean {
      return current?.socket?.readyState === 1;
    },
    OP,
    async close(): Promise<void> {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
