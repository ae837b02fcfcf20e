/**
 * Politeness for article pages: one page at a time per host, and starts spaced over all hosts
 * (`maxPerSecond`). A host takes its turn in the global spacing only when its previous page is done,
 * so a slow host holds up its own pages and nobody else's.
 */
export interface PageGate {
  /** Runs `task` when `host` is free and a start slot has come; resolves or rejects with it. */
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Hosts with a page running or waiting (bounded by what callers hand in). */
  busyHosts(): number;
}

export interface PageGateOptions {
  maxPerSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createPageGate(options: PageGateOptions): PageGate {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = 1000 / Math.max(0.01, options.maxPerSecond);
  const tails = new Map<string, Promise<void>>();
  let nextStart = 0;

  async function slot(): Promise<void> {
    const at = Math.max(now(), nextStart);
    nextStart = at + interval;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  }

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(host) ?? Promise.resolve();
      const result = previous.then(async () => {
        await slot();
        return task();
      });
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(host, tail);
      // The host is forgotten once nothing is queued behind this page.
      void tail.then(() => {
        if (tails.get(host) === tail) tails.delete(host);
      });
      return result;
    },
    busyHosts: () => tails.size,
  };
}
