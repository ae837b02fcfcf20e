import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { NewsdeskError } from '../../domain/errors.js';

/** Discord JSON error codes that matter here (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  unknownInteraction: 10062,
  missingAccess: 50001,
  missingPermissions: 50013,
  alreadyAcknowledged: 40060,
} as const;

export function discordCode(err: unknown): number | undefined {
  return err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : undefined;
}

/** An interaction whose token is no longer valid (answered after 3 s, or replayed); nothing to do but log. */
export function isExpiredInteraction(err: unknown): boolean {
  const code = discordCode(err);
  return code === DISCORD_CODES.unknownInteraction || code === DISCORD_CODES.alreadyAcknowledged;
}

/**
 * Translate what discord.js throws into the one error type. `forbidden` means "stop posting to
 * this channel until it is reconfigured"; `transient` means "retry with backoff".
 */
export function toNewsdeskError(err: unknown, context: { channel?: string; action: string }): NewsdeskError {
  if (err instanceof NewsdeskError) return err;
  const where = context.channel ? ` in ${context.channel}` : '';
  if (err instanceof RateLimitError) {
    const retryAfterMs = Math.max(err.retryAfter, err.timeToReset, 0);
    return new NewsdeskError(
      'rate_limited',
      `Discord rate limit${where}; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      {
        ...context,
        retryAfterMs,
        global: err.global,
        route: err.route,
      },
      { cause: err },
    );
  }
  if (err instanceof DiscordAPIError) {
    const details = { ...context, status: err.status, discordCode: err.code };
    const code = typeof err.code === 'number' ? err.code : undefined;
    if (err.status === 403 || code === DISCORD_CODES.missingAccess || code === DISCORD_CODES.missingPermissions) {
      return new NewsdeskError('forbidden', `The bot may not post${where}: ${err.message}`, details, { cause: err });
    }
    if (err.status === 404 || code === DISCORD_CODES.unknownChannel || code === DISCORD_CODES.unknownMessage) {
      return new NewsdeskError('not_found', `Discord does not know that channel or message${where}`, details, {
        cause: err,
      });
    }
    if (err.status === 429) {
      return new NewsdeskError(
        'rate_limited',
        `Discord rate limit${where}`,
        { ...details, retryAfterMs: 1000 },
        { cause: err },
      );
    }
    if (err.status === 401) {
      return new NewsdeskError('config', 'Discord rejected DISCORD_TOKEN (401 Unauthorized)', details, { cause: err });
    }
    // Any other 4xx is a request we built wrongly: retrying will not help.
    return new NewsdeskError('internal', `Discord refused ${context.action}${where}: ${err.message}`, details, {
      cause: err,
    });
  }
  if (err instanceof HTTPError) {
    return new NewsdeskError(
      'transient',
      `Discord answered ${err.status}${where}`,
      { ...context, status: err.status },
      { cause: err },
    );
  }
  // Network failures (refused, reset, timed out) surface as plain errors from undici.
  const message = err instanceof Error ? err.message : String(err);
  return new NewsdeskError('transient', `Could not reach Discord${where}: ${message}`, context, { cause: err });
}
