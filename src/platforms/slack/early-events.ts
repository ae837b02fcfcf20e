import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import { EVENTS_PATH } from './adapter.js';
import { MAX_BODY_BYTES, checkSignature, isSslCheck } from './http-receiver.js';

/** Slack allows 3 s to acknowledge; what is still not ready by then is better answered 503. */
const START_HOLD_MS = 2_500;

interface EarlyEventsDeps {
  signingSecret: string;
  log: Logger;
  holdMs?: number;
  now?: () => number;
}

/**
 * Route `/slack/events` from the moment the HTTP server listens, before the adapter has run its
 * auth.test: a signed request is held until the adapter serves the route and then handled, or
 * answered 503 at 2.5 s. Without this, a command sent during a restart met a 404 and Slack told
 * the user "dispatch_failed" without retrying. The signature is checked first, so a forged
 * request gets its 401 at once, start-up or not.
 */
export function expectSlackEvents(http: HttpServer, deps: EarlyEventsDeps): void {
  const now = deps.now ?? Date.now;
  http.expect('POST', EVENTS_PATH, {
    holdMs: deps.holdMs ?? START_HOLD_MS,
    maxBytes: MAX_BODY_BYTES,
    precheck(req, body) {
      const raw = body.toString('utf8');
      if (isSslCheck(req, raw)) return undefined;
      const failure = checkSignature(deps.signingSecret, req, raw, now());
      if (!failure) return undefined;
      deps.log.warn({ platform: 'slack', reason: failure }, 'rejected a request on /slack/events during start-up');
      return 401;
    },
  });
}
