/**
 * One request at a time per host, at least `minIntervalMs` apart: a feed host sees us as one polite
 * reader however many of its feeds are subscribed.
 */
export function createHostQueue(options: {
  minIntervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}) {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const hosts = new Map<string, { tail: Promise<void>; lastStart: number }>();

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> {
      const entry = hosts.get(host) ?? { tail: Promise.resolve(), lastStart: -Infinity };
      hosts.set(host, entry);
      const result = entry.tail.then(async () => {
        const wait = entry.lastStart + options.minIntervalMs - now();
        if (wait > 0) await sleep(wait);
        entry.lastStart = now();
        return task();
      });
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      entry.tail = tail;
      // Forget idle hosts once their interval has passed, so the map does not grow forever.
      void tail.then(async () => {
        await sleep(options.minIntervalMs);
        if (hosts.get(host) === entry && entry.tail === tail) hosts.delete(host);
      });
      return result;
    },
    size(): number {
      return hosts.size;
    },
  };
}
