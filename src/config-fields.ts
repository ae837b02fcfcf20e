import cron from 'node-cron';
import { z } from 'zod';

/**
 * The zod field types the configuration is built from, shared by the core schema (config.ts) and
 * the platform descriptors' parts of it. Depends on nothing in the project, so every layer may use it.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Comma-separated, trimmed, empty items dropped. */
export const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** Unset or blank is undefined (a blank line in .env must not turn an adapter on). */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

export const cronExpression = z.string().refine((value) => cron.validate(value), 'is not a valid cron expression');

export const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'is not a known IANA time zone');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
