import { z } from 'zod';
import cron from 'node-cron';

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

const cronExpression = z.string().refine((value) => cron.validate(value), 'is not a valid cron expression');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'is not a known IANA time zone');

const databaseUrl = z
  .string()
  .refine((value) => /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\//.test(value), 'must be sqlite:<path> or postgres://…');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every variable newsdesk reads, with its default. The only reader of process.env. */
const schema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_CHANNEL_IDS: list,
  DISCORD_SHARD_IDS: list.pipe(z.array(z.string().regex(/^\d+$/, 'must be shard numbers like 0,1').transform(Number))),
  DISCORD_SHARD_COUNT: z.preprocess((value) => (value === '' ? undefined : value), z.union([z.literal('auto'), z.coerce.number().int().positive()]).optional()),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_CHANNEL_IDS: list,
  SLACK_ADMIN_USER_IDS: list,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  METRICS_TOKEN: optionalText,
  METRICS_REFRESH_SECONDS: positiveInt(15),
  POST_SCHEDULE: cronExpression.default('*/10 * * * *'),
  POST_TIMEZONE: timeZone.default('UTC'),
  POSTS_PER_TICK: positiveInt(5),
  ON_UPDATE: z.enum(['edit', 'ignore', 'repost']).default('edit'),
  DISCORD_GLOBAL_RATE: positiveInt(50),
  SLACK_WORKSPACE_RATE: positiveInt(20),
  DATABASE_URL: databaseUrl.default('sqlite:./data/newsdesk.db'),
  ARTICLES_DIR: z.string().min(1).default('./articles'),
  ARTICLES_TZ: timeZone.default('UTC'),
  FEED_URLS: list.pipe(z.array(httpUrl)),
  FEED_ALLOW_PRIVATE: flag,
  FEED_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  FEED_INTERVAL_MINUTES: positiveInt(10),
  SCHEDULE_MIN_SECONDS: positiveInt(60),
  MAX_SUBSCRIPTIONS_PER_SPACE: positiveInt(50),
  MAX_FEEDS_PER_SPACE: positiveInt(20),
  SUMMARY_PROVIDER: z.enum(['extractive', 'openai']).default('extractive'),
  OPENAI_BASE_URL: httpUrl.default('https://api.openai.com/v1'),
  OPENAI_API_KEY: optionalText,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

/** The names of every variable newsdesk reads (README and .env.example must list them all). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof schema>) {
  return {
    discord:
      env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID
        ? {
            token: env.DISCORD_TOKEN,
            applicationId: env.DISCORD_APPLICATION_ID,
            guildId: env.DISCORD_GUILD_ID,
            apiUrl: env.DISCORD_API_URL,
            /** Which gateway shards this process runs; all of them when unset. */
            shards: env.DISCORD_SHARD_IDS.length > 0 ? env.DISCORD_SHARD_IDS : undefined,
            shardCount: env.DISCORD_SHARD_COUNT,
          }
        : undefined,
    discordChannelIds: env.DISCORD_CHANNEL_IDS,
    slack:
      env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)
        ? { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN, apiUrl: env.SLACK_API_URL }
        : undefined,
    slackChannelIds: env.SLACK_CHANNEL_IDS,
    slackAdminUserIds: env.SLACK_ADMIN_USER_IDS,
    port: env.PORT,
    httpHost: env.HTTP_HOST,
    metrics: { token: env.METRICS_TOKEN, refreshMs: env.METRICS_REFRESH_SECONDS * 1000 },
    postSchedule: env.POST_SCHEDULE,
    postTimezone: env.POST_TIMEZONE,
    postsPerTick: env.POSTS_PER_TICK,
    onUpdate: env.ON_UPDATE,
    discordGlobalRate: env.DISCORD_GLOBAL_RATE,
    slackWorkspaceRate: env.SLACK_WORKSPACE_RATE,
    databaseUrl: env.DATABASE_URL,
    articlesDir: env.ARTICLES_DIR,
    articlesTz: env.ARTICLES_TZ,
    limits: {
      scheduleMinSeconds: env.SCHEDULE_MIN_SECONDS,
      subscriptionsPerSpace: env.MAX_SUBSCRIPTIONS_PER_SPACE,
      feedsPerSpace: env.MAX_FEEDS_PER_SPACE,
    },
    feeds: { urls: env.FEED_URLS, allowPrivate: env.FEED_ALLOW_PRIVATE, maxBytes: env.FEED_MAX_BYTES, intervalMinutes: env.FEED_INTERVAL_MINUTES },
    summary: {
      provider: env.SUMMARY_PROVIDER,
      openai:
        env.SUMMARY_PROVIDER === 'openai' ? { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL } : undefined,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    /** Whether LOG_LEVEL was set, or the default is in force (the terminal picks a quieter one). */
    logLevelSet: env.LOG_LEVEL !== undefined,
  };
}

/** Every secret in the configuration, for the log scrubber. */
export function configSecrets(config: Config): (string | undefined)[] {
  return [
    config.discord?.token,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.summary.openai?.apiKey,
    config.metrics.token,
  ];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment. Throws ConfigError with one line naming the variable and the problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path[0] ?? 'environment';
    throw new ConfigError(`${String(variable)}: ${issue?.message ?? 'invalid'}`);
  }
  const config = toConfig(result.data);
  const env_ = result.data;
  if (env_.DISCORD_TOKEN && !env_.DISCORD_APPLICATION_ID) throw new ConfigError('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  if (env_.SLACK_BOT_TOKEN && !env_.SLACK_SIGNING_SECRET && !env_.SLACK_APP_TOKEN)
    throw new ConfigError('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  if (env_.DISCORD_SHARD_IDS.length > 0 && typeof env_.DISCORD_SHARD_COUNT !== 'number') throw new ConfigError('DISCORD_SHARD_COUNT: a number is required when DISCORD_SHARD_IDS is set');
  if (typeof env_.DISCORD_SHARD_COUNT === 'number' && env_.DISCORD_SHARD_IDS.some((id) => id >= (env_.DISCORD_SHARD_COUNT as number)))
    throw new ConfigError('DISCORD_SHARD_IDS: every shard id must be below DISCORD_SHARD_COUNT');
  if (env_.SUMMARY_PROVIDER === 'openai' && !env_.OPENAI_API_KEY) throw new ConfigError('OPENAI_API_KEY: required when SUMMARY_PROVIDER=openai');
  return config;
}

/** The process environment, read here and nowhere else. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
