import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeldRequest } from '../../http/pending-route.js';
import { readBodyCapped } from '../../http/read-body.js';
import { parse as parseQuery } from 'node:querystring';
import {
  HTTPModuleFunctions,
  HTTPResponseAck,
  verifySlackRequest,
  type App,
  type BufferedIncomingMessage,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';

/** Slack rejects requests whose timestamp is more than five minutes off; so do we, both ways. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface MountedReceiver extends Receiver {
  /** Mount this on `POST /slack/events` of our own HTTP server. */
  requestListener(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface MountedReceiverDeps {
  signingSecret: string;
  logger: BoltLogger;
  /** Milliseconds since the epoch; injectable so the signing vectors can be checked at their own time. */
  now?: () => number;
}

/**
 * A Bolt receiver without a server of its own: Bolt's HTTPReceiver insists on listening on a
 * port, while we serve Slack, /healthz and /metrics from one server. It keeps Bolt's order of
 * checks (verify the raw bytes, then parse, then ssl_check / url_verification, then dispatch)
 * and reuses Bolt's exported helpers for each step.
 */
export function createMountedReceiver(deps: MountedReceiverDeps): MountedReceiver {
  const now = deps.now ?? Date.now;
  let app: App | undefined;
  let accepting = false;

  async function requestListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!accepting || !app) {
      res.writeHead(503, { 'retry-after': '5' }).end();
      return;
    }
    // Held during start-up (src/http/pending-route.ts): the body was read, and checked, already.
    const held = (req as Partial<HeldRequest>).rawBody;
    const raw = Buffer.isBuffer(held) ? held : await readBodyCapped(req, MAX_BODY_BYTES);
    if (!raw) {
      res.writeHead(413, { connection: 'close' }).end();
      req.destroy();
      return;
    }
    // Bolt's helpers take a request that carries its raw bytes.
    const buffered = Object.assign(req, { rawBody: raw }) as BufferedIncomingMessage;
    const rawBody = raw.toString('utf8');

    // Slack's SSL check is unsigned. Answer it and never let its body reach a listener.
    if (isSslCheck(req, rawBody)) {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }

    const failure = checkSignature(deps.signingSecret, req, rawBody, now());
    if (failure) {
      deps.logger.warn(`Rejected a request on /slack/events: ${failure}`);
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }

    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch (err) {
      deps.logger.warn(`Malformed request body: ${(err as Error).message}`);
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.type === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }

    const ack = new HTTPResponseAck({
      logger: deps.logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    };
    try {
      await app.processEvent(event);
    } catch (err) {
      deps.logger.error(`Slack event failed: ${(err as Error).message}`);
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
    }
  }

  return {
    requestListener,
    init(boltApp: App) {
      app = boltApp;
    },
    async start() {
      accepting = true;
    },
    async stop() {
      accepting = false;
    },
  };
}

/** Slack's SSL check: unsigned, answered without reaching a listener. */
export function isSslCheck(req: IncomingMessage, rawBody: string): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded' && parseQuery(rawBody).ssl_check === '1';
}

/** Why a request's `v0` signature does not hold, or undefined when it does. */
export function checkSignature(
  signingSecret: string,
  req: IncomingMessage,
  rawBody: string,
  nowMs: number,
): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestampHeader = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestampHeader !== 'string') return 'missing signature headers';
  const timestamp = Number(timestampHeader);
  if (!Number.isInteger(timestamp)) return 'bad timestamp header';
  // Bolt only rejects timestamps in the past; one far in the future is as suspicious.
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > MAX_CLOCK_SKEW_SECONDS) return 'stale or future timestamp';
  try {
    verifySlackRequest({
      signingSecret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
