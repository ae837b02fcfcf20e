import { pino, type Logger as PinoLogger } from 'pino';

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
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base, (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}
