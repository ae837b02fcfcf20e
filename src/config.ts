import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import {
  ConfigError,
  cronExpression,
  flag,
  httpUrl,
  list,
  optionalText,
  positiveInt,
  timeZone,
} from './config-fields.js';
import type { EnabledPlatform, PlatformDescriptor } from './platforms/descriptor.js';
import { platforms as allPlatforms } from './platforms/index.js';

export { ConfigError } from './config-fields.js';

const databaseUrl = z
  .string()
  .refine(
    (value) => /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\//.test(value),
    'must be sqlite:<path> or postgres://…',
  );

/** Every variable newsdesk reads besides the platforms' own, with its default. */
const core = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  METRICS_TOKEN: optionalText,
  METRICS_REFRESH_SECONDS: positiveInt(15),
  POST_SCHEDULE: cronExpression.default('*/10 * * * *'),
  POST_TIMEZONE: timeZone.default('UTC'),
  POSTS_PER_TICK: positiveInt(5),
  ON_UPDATE: z.enum(['edit', 'ignore', 'repost']).default('edit'),
  DATABASE_URL: databaseUrl.default('sqlite:./data/newsdesk.db'),
  ARTICLES_DIR: z.string().min(1).default('./articles'),
  ARTICLES_TZ: timeZone.default('UTC'),
  FEED_URLS: list.pipe(z.array(httpUrl)),
  FEED_ALLOW_PRIVATE: flag,
  FEED_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  FEED_INTERVAL_MINUTES: positiveInt(10),
  FULLTEXT_DEFAULT: z.enum(['auto', 'always', 'never']).default('auto'),
  FULLTEXT_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  FULLTEXT_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  SCHEDULE_MIN_SECONDS: positiveInt(60),
  MAX_SUBSCRIPTIONS_PER_SPACE: positiveInt(50),
  MAX_FEEDS_PER_SPACE: positiveInt(20),
  SUMMARY_PROVIDER: z.enum(['extractive', 'openai']).default('extractive'),
  OPENAI_BASE_URL: httpUrl.default('https://api.openai.com/v1'),
  OPENAI_API_KEY: optionalText,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
};

function schemaFor(list_: readonly PlatformDescriptor[]) {
  const shape: z.ZodRawShape = {};
  for (const platform of list_) Object.assign(shape, platform.env);
  return z.object({ ...shape, ...core });
}

/** The names of every variable newsdesk reads (README and .env.example must list them all). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schemaFor(allPlatforms).shape);

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<z.ZodObject<typeof core>>, platforms: EnabledPlatform[]) {
  return {
    /** The platforms the variables turn on, in list order; the terminal only when no chat platform is on. */
    platforms,
    port: env.PORT,
    httpHost: env.HTTP_HOST,
    metrics: { token: env.METRICS_TOKEN, refreshMs: env.METRICS_REFRESH_SECONDS * 1000 },
    postSchedule: env.POST_SCHEDULE,
    postTimezone: env.POST_TIMEZONE,
    postsPerTick: env.POSTS_PER_TICK,
    onUpdate: env.ON_UPDATE,
    databaseUrl: env.DATABASE_URL,
    articlesDir: env.ARTICLES_DIR,
    articlesTz: env.ARTICLES_TZ,
    limits: {
      scheduleMinSeconds: env.SCHEDULE_MIN_SECONDS,
      subscriptionsPerSpace: env.MAX_SUBSCRIPTIONS_PER_SPACE,
      feedsPerSpace: env.MAX_FEEDS_PER_SPACE,
    },
    feeds: {
      urls: env.FEED_URLS,
      allowPrivate: env.FEED_ALLOW_PRIVATE,
      maxBytes: env.FEED_MAX_BYTES,
      intervalMinutes: env.FEED_INTERVAL_MINUTES,
    },
    fullText: {
      defaultPolicy: env.FULLTEXT_DEFAULT,
      waitSeconds: env.FULLTEXT_WAIT_SECONDS,
      retrySeconds: env.FULLTEXT_RETRY_SECONDS,
    },
    summary: {
      provider: env.SUMMARY_PROVIDER,
      openai:
        env.SUMMARY_PROVIDER === 'openai'
          ? { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL }
          : undefined,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    /** Whether LOG_LEVEL was set, or the default is in force (the terminal picks a quieter one). */
    logLevelSet: env.LOG_LEVEL !== undefined,
  };
}

/** Whether any chat platform is on (otherwise the bot runs in the terminal). */
export function hasChatPlatform(config: Config): boolean {
  return config.platforms.some((platform) => !platform.fallback);
}

/** Every secret in the configuration, for the log scrubber. */
export function configSecrets(config: Config): (string | undefined)[] {
  return [
    ...config.platforms.flatMap((platform) => platform.secrets),
    config.summary.openai?.apiKey,
    config.metrics.token,
  ];
}

/**
 * Parse the environment. Throws ConfigError with one line naming the variable and the problem.
 * `platforms` defaults to the descriptor list; tests pass their own.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  platforms: readonly PlatformDescriptor[] = allPlatforms,
): Config {
  const result = schemaFor(platforms).safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path[0] ?? 'environment';
    throw new ConfigError(`${String(variable)}: ${issue?.message ?? 'invalid'}`);
  }
  const parsed = result.data as Record<string, unknown>;
  const on = platforms.flatMap((platform) => platform.enable(parsed) ?? []);
  const chat = on.filter((platform) => !platform.fallback);
  const values = parsed as z.output<z.ZodObject<typeof core>>;
  if (values.SUMMARY_PROVIDER === 'openai' && !values.OPENAI_API_KEY) {
    throw new ConfigError('OPENAI_API_KEY: required when SUMMARY_PROVIDER=openai');
  }
  return toConfig(values, chat.length > 0 ? chat : on);
}

/** Where the environment came from: the process's own variables, over those of `.env` when it exists. */
export interface LoadedEnv {
  env: Record<string, string | undefined>;
  /** The file read, when there was one. */
  envFile: string | undefined;
}

/**
 * The process environment, read here and nowhere else. `.env` in the working folder fills in what
 * the real environment leaves unset, the way Compose reads it.
 */
export function processEnv(path = '.env'): LoadedEnv {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { env: process.env, envFile: undefined };
    throw new ConfigError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { env: { ...parseEnv(text), ...process.env }, envFile: path };
}
