import cron from 'node-cron';
import type { Logger } from '../logger.js';

export interface Schedule {
  stop(): Promise<void>;
}

/** Run `task` on a cron schedule (6 fields allowed); a tick that fails is logged and the next one still runs. */
export function schedule(deps: {
  expression: string;
  timezone: string;
  name: string;
  log: Logger;
  task: () => Promise<unknown>;
}): Schedule {
  const job = cron.schedule(
    deps.expression,
    async () => {
      try {
        await deps.task();
      } catch (err) {
        deps.log.error({ err, schedule: deps.name }, 'scheduled task failed');
      }
    },
    { timezone: deps.timezone, name: deps.name, noOverlap: true },
  );
  return {
    async stop() {
      await job.stop();
    },
  };
}
