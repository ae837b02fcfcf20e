/**
 * What one space (a Discord guild, a Slack workspace) may ask of the bot. Anyone can create a
 * server and manage channels there, so each cap bounds what one stranger can cost everyone.
 */
export interface SpaceLimits {
  /** Shortest time between two runs of a subscription's own schedule. */
  scheduleMinSeconds: number;
  /** Subscriptions made by command in one space. */
  subscriptionsPerSpace: number;
  /** Feeds added by command from one space. */
  feedsPerSpace: number;
}

export const DEFAULT_LIMITS: SpaceLimits = { scheduleMinSeconds: 60, subscriptionsPerSpace: 50, feedsPerSpace: 20 };

const DAY = 86_400;
const FIELD_RANGES: [number, number][] = [
  [0, 59], // second
  [0, 59], // minute
  [0, 23], // hour
];

/** The values one cron field matches: `*`, `n`, `a-b`, any of them `/step`, comma lists. */
function expand(field: string, [low, high]: [number, number]): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const start = match[1] === '*' ? low : Number(match[1]);
    const end = match[2] !== undefined ? Number(match[2]) : match[1] === '*' || match[3] !== undefined ? high : start;
    const step = match[3] !== undefined ? Number(match[3]) : 1;
    if (step < 1 || start < low || end > high || start > end) return undefined;
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The shortest gap, in seconds, between two runs of a node-cron expression (5 fields, or 6 with
 * leading seconds), judged from the time-of-day fields alone; undefined when a field uses syntax
 * this does not read (the caller refuses it rather than guess). At most 86,400 steps.
 */
export function shortestCronInterval(expression: string): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return undefined;
  const [second, minute, hour] = fields.length === 6 ? fields : ['0', ...fields];
  const seconds = expand(second!, FIELD_RANGES[0]!);
  const minutes = expand(minute!, FIELD_RANGES[1]!);
  const hours = expand(hour!, FIELD_RANGES[2]!);
  if (!seconds || !minutes || !hours) return undefined;
  let first: number | undefined;
  let previous: number | undefined;
  let shortest = DAY;
  for (const h of hours) {
    for (const m of minutes) {
      for (const s of seconds) {
        const at = h * 3600 + m * 60 + s;
        if (previous !== undefined) shortest = Math.min(shortest, at - previous);
        first ??= at;
        previous = at;
      }
    }
  }
  // From the last run of one day to the first of the next.
  if (first !== undefined && previous !== undefined) shortest = Math.min(shortest, first + DAY - previous || DAY);
  return shortest;
}
