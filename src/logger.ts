import { pino, type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogLines } from './log-lines.js';

export type Logger = PinoLogger;

/** Paths pino blanks out wherever they appear in a log object, errors included. */
const REDACT = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.discordToken',
  'config.slackBotToken',
  'config.slackSigningSecret',
  'config.slackAppToken',
  'config.openaiApiKey',
];

export interface LoggerOptions {
  level: string;
  /** Pretty lines for people at a terminal; JSON lines otherwise (containers, pipes). */
  pretty: boolean;
  /** Where lines go; defaults to stderr so stdout stays for command output. */
  destination?: NodeJS.WritableStream;
  /** Values that must never appear in a log line, wherever they hide (error objects, URLs, headers). */
  secrets?: (string | undefined)[];
  /**
   * A terminal prompt shares the screen: lines are formatted here, on the main thread, and written
   * through the prompt's guard so it is drawn again after each one (instead of pino-pretty's worker).
   */
  lines?: LogLines;
}

/** Replace every occurrence of every secret. Secrets shorter than 6 characters are not worth a token's name. */
export function scrubber(secrets: (string | undefined)[]): (line: string) => string {
  const values = [
    ...new Set(secrets.filter((value): value is string => typeof value === 'string' && value.length >= 6)),
  ].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (line) => line;
  return (line) => {
    let clean = line;
    for (const value of values) if (clean.includes(value)) clean = clean.split(value).join('[redacted]');
    return clean;
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const base = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, hooks: { streamWrite: scrub } };
  if (options.lines) {
    const lines = options.lines;
    const format = options.pretty ? prettyFactory({ translateTime: 'SYS:HH:MM:ss', colorize: true }) : undefined;
    return pino(base, { write: (line: string) => lines.write(format ? format(line) : line) });
  }
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(base, (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}
