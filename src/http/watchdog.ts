import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from '../logger.js';

/**
 * A blocked event loop answers nothing: not Discord's 3 s deadline, not Slack's acks, not other
 * servers' posts. The watchdog samples event-loop delay; when it stays above a threshold it logs
 * what was running and makes /healthz fail, so an orchestrator restarts the process. It recovers
 * once delay has stayed below the threshold as long again (so a poll every few seconds sees it).
 */
export interface WatchdogOptions {
  log: Logger;
  /** Delay that counts as stalled. */
  thresholdMs?: number;
  /** How long delay must stay above the threshold before /healthz fails, and below it to recover. */
  sustainMs?: number;
  /** How often delay is read. */
  sampleMs?: number;
}

export interface WatchdogState {
  healthy: boolean;
  /** Worst delay in the last sample window, in ms. */
  delayMs: number;
  /** Worst delay since start, in ms. */
  worstMs: number;
  /** Labels running during the last bad window (ticks, commands, ingest). */
  running: string[];
}

export interface Watchdog {
  state(): WatchdogState;
  /** Marks `label` as running until the returned function is called. */
  enter(label: string): () => void;
  /** Runs `work` under `label`. */
  track<T>(label: string, work: () => Promise<T>): Promise<T>;
  stop(): void;
}

export function createWatchdog(options: WatchdogOptions): Watchdog {
  const { log } = options;
  const thresholdMs = options.thresholdMs ?? 500;
  const sustainMs = options.sustainMs ?? 5_000;
  const sampleMs = options.sampleMs ?? 1_000;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();

  const active = new Map<number, string>();
  // Work that started and finished inside one blocked stretch is gone by the time the sample
  // runs, so every label seen during the window is kept until the window is judged.
  const seenInWindow = new Set<string>();
  let nextId = 0;
  let lastSample = performance.now();
  let badSince: number | undefined;
  let goodSince: number | undefined;
  let healthy = true;
  let delayMs = 0;
  let worstMs = 0;
  let running: string[] = [];

  function sample(): void {
    const now = performance.now();
    // A timer that fires late measures the stall too, even before the histogram has caught it.
    const late = now - lastSample - sampleMs;
    delayMs = Math.max(histogram.max / 1e6, late, 0);
    worstMs = Math.max(worstMs, delayMs);
    const labels = [...new Set([...seenInWindow, ...active.values()])];
    if (delayMs > thresholdMs) {
      badSince ??= lastSample;
      goodSince = undefined;
      running = labels;
      if (healthy && now - badSince >= sustainMs) {
        healthy = false;
        log.error({ delayMs: Math.round(delayMs), running, thresholdMs }, 'event loop stalled: /healthz fails');
      }
    } else {
      badSince = undefined;
      goodSince ??= lastSample;
      if (!healthy && now - goodSince >= sustainMs) {
        healthy = true;
        running = [];
        log.warn({ delayMs: Math.round(delayMs) }, 'event loop recovered: /healthz passes again');
      }
    }
    seenInWindow.clear();
    for (const label of active.values()) seenInWindow.add(label);
    histogram.reset();
    lastSample = now;
  }

  const timer = setInterval(sample, sampleMs);
  timer.unref();

  const enter = (label: string) => {
    const id = nextId++;
    active.set(id, label);
    seenInWindow.add(label);
    return () => void active.delete(id);
  };

  return {
    state: () => ({ healthy, delayMs, worstMs, running }),
    enter,
    async track(label, work) {
      const leave = enter(label);
      try {
        return await work();
      } finally {
        leave();
      }
    },
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
