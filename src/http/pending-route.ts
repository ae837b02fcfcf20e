import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyCapped } from './read-body.js';

/** How a route that is not served yet treats requests meanwhile (see HttpServer.expect). */
export interface PendingRoute {
  /**
   * Checked on the raw body before anything waits: a status to answer at once (401 for a forged
   * signature), or undefined to hold the request for the real handler.
   */
  precheck(req: IncomingMessage, body: Buffer): number | undefined;
  /** From arrival: answered 503 if the route is still not served by then. */
  holdMs: number;
  /** Bodies larger than this are refused (413) before the precheck. */
  maxBytes: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A request whose body was read by a pending route; handlers use `rawBody` instead of reading again. */
export type HeldRequest = IncomingMessage & { rawBody: Buffer };

/**
 * Hold a request until `served` resolves with the real handler, or answer it: 413, the
 * precheck's status, or 503 with Retry-After once `holdMs` has passed.
 */
export async function holdRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pending: PendingRoute,
  served: (timeoutMs: number) => Promise<Handler | undefined>,
): Promise<void> {
  const arrived = Date.now();
  const body = await readBodyCapped(req, pending.maxBytes);
  if (!body) {
    res.writeHead(413, { connection: 'close' }).end();
    req.destroy();
    return;
  }
  const refused = pending.precheck(req, body);
  if (refused !== undefined) {
    res.writeHead(refused).end();
    return;
  }
  const handler = await served(Math.max(0, pending.holdMs - (Date.now() - arrived)));
  if (!handler) {
    res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('starting\n');
    return;
  }
  await handler(Object.assign(req, { rawBody: body }) as HeldRequest, res);
}
