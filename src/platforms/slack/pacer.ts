/**
 * Spaces messages to one channel: Slack allows about one `chat.postMessage` per second per
 * channel and answers bursts with 429. Calls for the same channel run one after another;
 * different channels do not wait for each other.
 */
export interface ChannelPacer {
  /** Runs `task` once the channel's slot is free, and holds the slot for `intervalMs` after it starts. */
  run<T>(channel: string, task: () => Promise<T>): Promise<T>;
  /** Keeps the channel quiet until `untilMs` (after a 429 with Retry-After). */
  pause(channel: string, untilMs: number): void;
}

export interface ChannelPacerDeps {
  intervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createChannelPacer(deps: ChannelPacerDeps): ChannelPacer {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const nextFree = new Map<string, number>();
  const tails = new Map<string, Promise<unknown>>();

  function run<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(channel) ?? Promise.resolve();
    const result = previous
      .catch(() => undefined)
      .then(async () => {
        const wait = (nextFree.get(channel) ?? 0) - now();
        if (wait > 0) await sleep(wait);
        nextFree.set(channel, Math.max(now() + deps.intervalMs, nextFree.get(channel) ?? 0));
        return task();
      });
    const tail = result.catch(() => undefined);
    tails.set(channel, tail);
    // Forget idle channels so the maps do not grow with every channel ever posted to.
    void tail.then(() => {
      if (tails.get(channel) === tail) tails.delete(channel);
    });
    return result;
  }

  return {
    run,
    pause(channel, untilMs) {
      nextFree.set(channel, Math.max(untilMs, nextFree.get(channel) ?? 0));
    },
  };
}
