import { ConfigError, loadConfig, processEnv, type Config } from './config.js';
import type { Platform } from './domain/channel.js';
import { createDispatcher } from './delivery/dispatcher.js';
import { schedule, type Schedule } from './delivery/scheduler.js';
import { createHttpServer } from './http/server.js';
import { registerHealthRoutes } from './http/health.js';
import { watchArticles } from './ingest/watch-articles.js';
import { createLogger, type Logger } from './logger.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import { createConsoleAdapter } from './platforms/console/adapter.js';
import { stdinMode } from './platforms/console/stdin-mode.js';
import { createRuntime } from './runtime.js';

const SHUTDOWN_GRACE_MS = 10_000;

function startupFailure(message: string): never {
  process.stderr.write(`newsdesk: ${message}\n`);
  process.exit(1);
}

async function run(config: Config, log: Logger): Promise<void> {
  const runtime = createRuntime(config, log);
  const { stores } = runtime;
  let ready = false;

  const http = createHttpServer({ log });
  registerHealthRoutes(http, { ready: () => ready });
  const port = await http.listen(config.port).catch((err: NodeJS.ErrnoException) =>
    startupFailure(err.code === 'EADDRINUSE' ? `PORT: ${config.port} is already in use` : `cannot listen on PORT ${config.port}: ${err.message}`),
  );
  log.info({ port }, 'http listening');

  const counts = await runtime.ingester.ingestPath(config.articlesDir);
  log.info({ dir: config.articlesDir, new: counts.new, updated: counts.updated, unchanged: counts.unchanged, rejected: counts.rejected.length }, 'articles folder ingested');
  const watcher = watchArticles({ dir: config.articlesDir, ingester: runtime.ingester, log });

  const adapters: Partial<Record<Platform, PlatformAdapter>> = {};
  if (!config.discord && !config.slack) {
    const mode = stdinMode();
    adapters.console = createConsoleAdapter({
      execute: runtime.execute,
      input: process.stdin,
      output: process.stdout,
      interactive: mode !== 'none',
      onEnd: () => void shutdown('end of input'),
    });
  }

  const dispatcher = createDispatcher({ stores, adapters, log, perChannelPerTick: config.postsPerTick });
  for (const adapter of Object.values(adapters)) await adapter.start();
  ready = true;
  log.info({ adapters: Object.keys(adapters), channels: runtime.configuredChannels.length }, 'newsdesk ready');

  // Post what is already due right away, then on the schedule.
  await dispatcher.tick();
  const posting: Schedule = schedule({ expression: config.postSchedule, timezone: config.postTimezone, name: 'post', log, task: () => dispatcher.tick() });

  let stopping = false;
  async function shutdown(reason: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    ready = false;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + 2_000);
    force.unref();
    await posting.stop();
    watcher.close();
    for (const adapter of Object.values(adapters)) await adapter.stop().catch((err: unknown) => log.warn({ err }, 'adapter stop failed'));
    await Promise.race([dispatcher.idle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
    await http.close();
    await stores.close();
    log.info('stopped');
    process.exit(0);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      void shutdown(signal);
    });
  }
}

let config: Config;
try {
  config = loadConfig(processEnv());
} catch (err) {
  startupFailure(err instanceof ConfigError ? err.message : String(err));
}
const log = createLogger({ level: config.logLevel, pretty: Boolean(process.stderr.isTTY) });
run(config, log).catch((err: unknown) => {
  log.fatal({ err }, 'start-up failed');
  startupFailure(err instanceof Error ? err.message : String(err));
});
