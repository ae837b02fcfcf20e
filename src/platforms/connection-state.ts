/** What `/readyz` asks an adapter: is it connected, and if not, why. */
export interface AdapterHealth {
  connected: boolean;
  reason?: string;
}

interface ConnectionStateOptions {
  /**
   * A drop shorter than this still reads as connected: the gateway closes sockets routinely and
   * the client resumes within a second or two. Default 10 s.
   */
  graceMs?: number;
  now?: () => number;
}

/**
 * The live connection of one adapter, fed by its client's events, possibly several links (one
 * per gateway shard). Not connected until the first `up`.
 */
export function createConnectionState(options: ConnectionStateOptions = {}) {
  const graceMs = options.graceMs ?? 10_000;
  const now = options.now ?? Date.now;
  const links = new Map<string, { downSince?: number; reason?: string; everUp: boolean }>();
  let started = false;

  const link = (id: string) => {
    let state = links.get(id);
    if (!state) links.set(id, (state = { downSince: now(), reason: 'not connected yet', everUp: false }));
    return state;
  };

  return {
    up(id = 'main'): void {
      started = true;
      const state = link(id);
      state.downSince = undefined;
      state.reason = undefined;
      state.everUp = true;
    },
    down(reason: string, id = 'main'): void {
      const state = link(id);
      state.downSince ??= now();
      state.reason = reason;
    },
    /** Stopped on purpose: no longer connected, and no grace. */
    stopped(): void {
      started = false;
      links.clear();
    },
    health(): AdapterHealth {
      if (!started) return { connected: false, reason: 'not connected yet' };
      const at = now();
      for (const [id, state] of links) {
        if (state.downSince === undefined) continue;
        const downMs = at - state.downSince;
        if (state.everUp && downMs < graceMs) continue;
        const where = links.size > 1 ? ` (${id})` : '';
        return { connected: false, reason: `${state.reason ?? 'down'}${where} for ${Math.round(downMs / 1000)} s` };
      }
      return { connected: true };
    },
  };
}
