import { watchSentHeaders } from '../sent-headers-watch.js';

/**
 * Tells a scheduled post the moment its request left for Discord. discord.js queues requests of
 * its own (per route, and its global window), so the time a post is handed to it can be well
 * before the time Discord counts it; the rate limiter counts Discord's window from this moment.
 */
export function createSendWatch(apiUrl: string) {
  const origin = new URL(apiUrl).origin;
  const watch = watchSentHeaders((message) => {
    const request = (message as { request?: { method?: string; path?: string; origin?: unknown } }).request;
    if (request?.method !== 'POST' || String(request.origin) !== origin) return undefined;
    // A message, or a forum post (a thread and its first message in one request). Every send while
    // the post is out counts: discord.js resends by itself after a 429, and the resend, not the
    // refused request, is what the platform's window counts.
    return /\/channels\/(\d+)\/(?:messages|threads)(?:\?|$)/.exec(request.path ?? '')?.[1];
  });
  return {
    start: watch.start,
    stop: watch.stop,
    /** Call `waiter` each time a message (or forum post) POST to `channel` leaves, until the returned cancel (after the answer). */
    expect: watch.expect,
  };
}
