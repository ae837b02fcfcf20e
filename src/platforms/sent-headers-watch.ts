import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** undici publishes here the moment a request's headers are written to its socket (npm's undici and Node's fetch alike). */
const SEND_HEADERS = 'undici:client:sendHeaders';

type Waiter = () => void;

/**
 * Tells those who wait on a channel each time a request for it leaves. `channelOf` reads the
 * channel from undici's message, or returns undefined for a request that is not a watched post.
 * Told on every leave until cancelled: a client may resend by itself, and the resend is what counts.
 */
export function watchSentHeaders(channelOf: (message: unknown) => string | undefined) {
  const waiting = new Map<string, Waiter[]>();
  const onHeaders = (message: unknown) => {
    const channel = channelOf(message);
    for (const waiter of (channel ? waiting.get(channel) : undefined) ?? []) waiter();
  };
  return {
    has: (channel: string) => waiting.has(channel),
    start(): void {
      subscribe(SEND_HEADERS, onHeaders);
    },
    stop(): void {
      unsubscribe(SEND_HEADERS, onHeaders);
      waiting.clear();
    },
    /** Call `waiter` each time a request for `channel` leaves, until the returned cancel (after the answer). */
    expect(channel: string, waiter: Waiter): () => void {
      const list = waiting.get(channel) ?? [];
      list.push(waiter);
      waiting.set(channel, list);
      return () => {
        const current = waiting.get(channel);
        const index = current?.indexOf(waiter) ?? -1;
        if (index >= 0) current!.splice(index, 1);
        if (current && current.length === 0) waiting.delete(channel);
      };
    },
  };
}
