import { webApi } from '@slack/bolt';
import { NewsdeskError } from '../../domain/errors.js';

/** Slack errors that mean "this channel will not take our posts until someone fixes it". */
const CHANNEL_REFUSED = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
const GONE = new Set(['message_not_found', 'cant_update_message']);

interface SlackCallError {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
  message?: string;
}

/** The platform error code Slack gave (`not_in_channel`), if any. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as SlackCallError;
  return e?.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * One Web API failure → NewsdeskError. 429 becomes `rate_limited` with the wait Slack asked
 * for; refused channels become `forbidden` so the dispatcher skips them; everything else is
 * `transient` and retried with backoff by the dispatcher, not here.
 */
export function toNewsdeskError(err: unknown, context: { channel: string; method: string }): NewsdeskError {
  const e = err as SlackCallError;
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    const retryAfterMs = Math.max(1, e.retryAfter ?? 1) * 1000;
    return new NewsdeskError(
      'rate_limited',
      'Slack asked us to slow down.',
      { ...context, retryAfterMs },
      { cause: err },
    );
  }
  const slackError = slackErrorCode(err);
  if (slackError && CHANNEL_REFUSED.has(slackError)) {
    return new NewsdeskError(
      'forbidden',
      `Slack refused the channel: ${slackError}.`,
      { ...context, slackError },
      { cause: err },
    );
  }
  if (slackError && GONE.has(slackError)) {
    return new NewsdeskError(
      'not_found',
      `Slack has no such message: ${slackError}.`,
      { ...context, slackError },
      { cause: err },
    );
  }
  const detail = slackError ?? e?.message ?? String(err);
  return new NewsdeskError(
    'transient',
    `Slack call ${context.method} failed: ${detail}`,
    { ...context, slackError },
    { cause: err },
  );
}
