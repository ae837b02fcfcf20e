type Waiter = () => void;

/**
 * Who waits to hear that a request for a channel has left (each platform's send watch). Told on
 * every leave until cancelled: a client may resend by itself, and the resend is what counts.
 */
export function createLeaveWaiters() {
  const waiting = new Map<string, Waiter[]>();
  return {
    has: (channel: string) => waiting.has(channel),
    tell(channel: string): void {
      for (const waiter of waiting.get(channel) ?? []) waiter();
    },
    clear: () => waiting.clear(),
    /** Call `waiter` each time a request for `channel` leaves, until the returned cancel. */
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
