import { createApp } from '../app.js';
import { configSecrets, hasChatPlatform } from '../config.js';
import { createLogLines } from '../log-lines.js';
import { createLogger } from '../logger.js';
import { stdinMode } from '../platforms/console/stdin-mode.js';
import { openStores } from '../wiring/stores.js';
import { describeError, fail, readConfig } from './startup.js';

// `npm start`: the bot. config → logger → store → app (services → adapters → scheduler) → start.
async function main(): Promise<void> {
  const read = readConfig();
  if ('error' in read) {
    fail(read.error);
    process.exit(1);
  }
  const { config, envFile } = read;
  // Someone typing at the prompt wants answers, not progress lines: warnings only, unless asked.
  const atPrompt = !hasChatPlatform(config) && Boolean(process.stdin.isTTY) && !config.logLevelSet;
  // When the prompt and the log share one terminal, each log line is written above the prompt.
  const sharedTerminal = stdinMode() === 'tty' && Boolean(process.stderr.isTTY) && Boolean(process.stdout.isTTY);
  const logLines = sharedTerminal ? createLogLines(process.stderr) : undefined;
  const log = createLogger({
    level: atPrompt ? 'warn' : config.logLevel,
    pretty: Boolean(process.stderr.isTTY),
    secrets: configSecrets(config),
    lines: logLines,
  });
  log.info(
    { envFile: envFile ?? null },
    envFile ? `environment read from ${envFile}` : 'no .env file; environment only',
  );

  let signalled = false;
  let stop: ((reason: string) => Promise<void>) | undefined;
  // A signal or the end of input during start-up: start-up finishes, then stops.
  let pending: string | undefined;
  const exitAfter = async (reason: string): Promise<void> => {
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    await stop?.(reason);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      // During start-up there is nothing to stop yet: start-up finishes, then stops (below).
      if (stop) void exitAfter(signal);
      else {
        pending = 'signal during start-up';
        log.info({ signal }, 'signal during start-up: stopping once started');
      }
    });
  }

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    const stores = await openStores(config, log);
    app = await createApp({
      config,
      log,
      stores,
      mode: 'bot',
      terminal: {
        input: process.stdin,
        output: process.stdout,
        interactive: stdinMode() !== 'none',
        logLines,
        onEnd: () => {
          if (stop) void exitAfter('end of input');
          else pending ??= 'end of input';
        },
      },
    });
    await app.start();
    stop = app.stop;
  } catch (err) {
    await app?.stop('start-up failed').catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`PORT: ${config.port} is already in use`);
    else {
      log.fatal({ err }, 'start-up failed');
      fail(describeError(err, config.logLevel));
    }
    process.exit(1);
  }
  if (pending) await exitAfter(pending);
}

await main();
