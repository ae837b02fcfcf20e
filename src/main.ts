import { startBot, type RunningBot } from './bot.js';
import { ConfigError, configSecrets, loadConfig, processEnv, type Config } from './config.js';
import { createLogger } from './logger.js';
import { platformAdapters } from './platforms/enabled.js';

function startupFailure(message: string): never {
  process.stderr.write(`newsdesk: ${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig(processEnv());
} catch (err) {
  startupFailure(err instanceof ConfigError ? err.message : String(err));
}
// Someone typing at the prompt wants answers, not progress lines: warnings only, unless asked.
const atPrompt = !config.discord && !config.slack && Boolean(process.stdin.isTTY) && !config.logLevelSet;
const log = createLogger({ level: atPrompt ? 'warn' : config.logLevel, pretty: Boolean(process.stderr.isTTY), secrets: configSecrets(config) });

let bot: RunningBot | undefined;
let signalled = false;

async function stop(reason: string): Promise<void> {
  const force = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await bot?.shutdown(reason);
  process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    // During start-up there is nothing to stop yet: start-up finishes, then stops (below).
    if (bot) void stop(signal);
    else log.info({ signal }, 'signal during start-up: stopping once started');
  });
}

try {
  bot = await startBot(config, log, { onInputEnd: () => void stop('end of input'), platformAdapters: (runtime, http) => platformAdapters(config, runtime, http, log) });
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') startupFailure(`PORT: ${config.port} is already in use`);
  log.fatal({ err }, 'start-up failed');
  startupFailure(err instanceof Error ? err.message : String(err));
}
if (signalled) await stop('signal during start-up');
