import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createLeaveWaiters } from '../leave-waiters.js';

/** undici publishes here the moment a request's headers are written to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * Tells a scheduled post the moment its request left for Discord. discord.js queues requests of
 * its own (per route, and its global window), so the time a post is handed to it can be well
 * before the time Discord counts it; the rate limiter counts Discord's window from this moment.
 */
export function createSendWatch(apiUrl: string) {
  const origin = new URL(apiUrl).origin;
  const waiting = createLeaveWaiters();

  const onHeaders = (message: unknown) => {
    const request = (message as { request?: { method?: string; path?: string; origin?: unknown } }).request;
    if (request?.method !== 'POST' || String(request.origin) !== origin) return;
    // A message, or a forum post (a thread and its first message in one request).
    const channel = /\/channels\/(\d+)\/(?:messages|threads)(?:\?|$)/.exec(request.path ?? '')?.[1];
    // Every send while the post is out: discord.js resends by itself after a 429, and the resend,
    // not the refused request, is what the platform's window counts.
    if (channel) waiting.tell(channel);
  };

  return {
    start(): void {
      subscribe(SEND_HEADERS, onHeaders);
    },
    stop(): void {
      unsubscribe(SEND_HEADERS, onHeaders);
      waiting.clear();
    },
    /** Call `waiter` each time a message (or forum post) POST to `channel` leaves, until the returned cancel (after the answer). */
    expect: waiting.expect,
  };
}
