import type { Logger } from '../logger.js';
import type { LockStore } from '../store/ports.js';

/**
 * The instant a cron job fired for, to the second. Replicas fire the same job within milliseconds
 * of each other, so rounding gives them one key even with clocks a little apart.
 */
export function fireInstant(at: Date = new Date()): string {
  return new Date(Math.round(at.getTime() / 1000) * 1000).toISOString();
}

/**
 * Wrap a scheduled task so it runs once per fire across replicas: the replica that takes the
 * lock for `key` runs it, the others skip that fire. Without a lock store (one process) it just runs.
 */
export function onceAcrossReplicas(
  deps: { locks?: LockStore; owner: string; log: Logger },
  key: string,
  task: () => Promise<unknown>,
): () => Promise<unknown> {
  if (!deps.locks) return task;
  const locks = deps.locks;
  return async () => {
    const fire = fireInstant();
    const outcome = await locks.tryRun(key, task, { fire, owner: deps.owner });
    if (!outcome.ran) deps.log.debug({ key, fire }, 'another replica runs this tick');
    return outcome.ran ? outcome.value : undefined;
  };
}
