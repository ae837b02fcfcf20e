/**
 * How long a fake takes to answer: `ms` plus or minus `jitter` of it (0.5: 100 ms becomes 50–150 ms,
 * uniformly), the way real APIs answer in about 100 ms. The delay sits between the request's
 * arrival, where rate limits are counted, and its answer, as a remote server's own time does.
 */
export interface Latency {
  ms: number;
  /** A fraction of `ms`; default 0.5. */
  jitter?: number;
}

/** One draw of the delay, in whole milliseconds. */
function drawLatency(latency: Latency | undefined, random: () => number = Math.random): number {
  if (!latency || latency.ms <= 0) return 0;
  const spread = latency.ms * (latency.jitter ?? 0.5);
  return Math.max(0, Math.round(latency.ms - spread + random() * 2 * spread));
}

/** Wait one draw of the latency (resolves at once when there is none). */
export function answerDelay(latency: Latency | undefined): Promise<void> {
  const ms = drawLatency(latency);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
