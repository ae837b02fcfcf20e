import { type Config, ConfigError, loadConfig, processEnv } from '../config.js';

/** One line on stderr, the way every entry point reports what stops it. */
export function fail(message: string): void {
  process.stderr.write(`newsdesk: ${message}\n`);
}

/** The configuration from the environment and `.env`, or the one-line error that stops start-up. */
export function readConfig(): { config: Config; envFile: string | undefined } | { error: string } {
  try {
    const { env, envFile } = processEnv();
    return { config: loadConfig(env), envFile };
  } catch (err) {
    if (err instanceof ConfigError) return { error: err.message };
    throw err;
  }
}

/** What a user is told about an error: its message; the stack only when they asked for debug logs. */
export function describeError(err: unknown, logLevel: string): string {
  if (!(err instanceof Error)) return String(err);
  const debug = logLevel === 'debug' || logLevel === 'trace';
  if (debug && err.stack) return err.stack;
  return err.message.split('\n')[0] ?? err.message;
}
