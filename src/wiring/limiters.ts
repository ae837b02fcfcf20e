import type { Platform } from '../domain/channel.js';
import { createRateLimiter, type RateLimiter } from '../delivery/rate-limiter.js';
import { createSharedRateLimiter } from '../delivery/shared-rate-limiter.js';
import type { Logger } from '../logger.js';
import type { EnabledPlatform } from '../platforms/descriptor.js';
import type { Stores } from '../store/ports.js';

/**
 * One limiter per platform that declares limits. On a shared database (several replicas) the
 * bot-wide limits are kept in the database, so replicas together stay under them.
 */
export function limitersFor(
  platforms: EnabledPlatform[],
  stores: Stores,
  log: Logger,
): Partial<Record<Platform, RateLimiter>> {
  const limiters: Partial<Record<Platform, RateLimiter>> = {};
  const slots = stores.rateSlots;
  for (const { name, rateLimits } of platforms) {
    if (!rateLimits) continue;
    const { sharePerChannel, startupRequests: _startup, ...windows } = rateLimits;
    limiters[name] = slots
      ? createSharedRateLimiter({ slots, key: name, ...windows, ...(sharePerChannel ? { sharePerChannel } : {}), log })
      : createRateLimiter(windows);
  }
  return limiters;
}
