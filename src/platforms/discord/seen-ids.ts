/**
 * Interaction ids handled recently. A gateway resume replays events the client may already have
 * seen; an interaction must still be answered once only. Interaction tokens live 15 minutes, so
 * remembering ids that long covers every replay that could still be answered.
 */
export interface SeenIds {
  /** True the first time an id is offered within the window, false for repeats. */
  firstTime(id: string): boolean;
  size(): number;
}

export function createSeenIds(deps: { windowMs: number; now?: () => number; max?: number }): SeenIds {
  const now = deps.now ?? Date.now;
  const max = deps.max ?? 10_000;
  // Insertion order is expiry order, because the window is fixed.
  const expiries = new Map<string, number>();

  function prune(at: number): void {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > at && expiries.size <= max) break;
      expiries.delete(id);
    }
  }

  return {
    firstTime(id) {
      const at = now();
      prune(at);
      if (expiries.has(id)) return false;
      expiries.set(id, at + deps.windowMs);
      return true;
    },
    size: () => expiries.size,
  };
}
