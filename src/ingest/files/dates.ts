import { MONTH_NAMES } from '../month-names.js';
interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building a DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at the given instant, in milliseconds. */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** A wall-clock time in `timeZone` as an ISO instant. Two passes settle DST edges. */
export function localToIso(local: LocalDateTime, timeZone: string): string | undefined {
  const { year, month, day, hour, minute, second } = local;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/;
const MONTH_NAME = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})\s*([AaPp][Mm])?)?$/;
const DAY_MONTH_NAME = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/;

function monthIndex(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = MONTH_NAMES.findIndex((month) => month.startsWith(lower));
  return index >= 0 ? index + 1 : undefined;
}

function to24h(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

/**
 * Dates as written in article files: ISO 8601, `18.07.2025, 15:55`, `July 18, 2025`, `18 July 2025`.
 * Times without a zone are wall-clock times in `timeZone`. Returns undefined when it is not a date.
 */
export function parseArticleDate(text: string, timeZone: string): string | undefined {
  const value = text.trim();
  if (ISO.test(value)) {
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10;
    if (hasZone) {
      const ms = Date.parse(value.replace(' ', 'T'));
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    }
    const [datePart = '', timePart = '00:00:00'] = value.split(/[T ]/);
    const [year, month, day] = datePart.split('-').map(Number);
    const [hour = 0, minute = 0, second = 0] = timePart.split(':').map((piece) => Math.floor(Number(piece)));
    return localToIso({ year: year ?? 0, month: month ?? 0, day: day ?? 0, hour, minute, second }, timeZone);
  }
  let match = DOTTED.exec(value);
  if (match) {
    const [, day, month, year, hour, minute] = match;
    return localToIso(
      {
        year: Number(year),
        month: Number(month),
        day: Number(day),
        hour: Number(hour ?? 0),
        minute: Number(minute ?? 0),
        second: 0,
      },
      timeZone,
    );
  }
  match = MONTH_NAME.exec(value);
  if (match) {
    const [, monthName = '', day, year, hour, minute, meridiem] = match;
    const month = monthIndex(monthName);
    if (!month) return undefined;
    return localToIso(
      {
        year: Number(year),
        month,
        day: Number(day),
        hour: to24h(Number(hour ?? 0), meridiem),
        minute: Number(minute ?? 0),
        second: 0,
      },
      timeZone,
    );
  }
  match = DAY_MONTH_NAME.exec(value);
  if (match) {
    const [, day, monthName = '', year, hour, minute] = match;
    const month = monthIndex(monthName);
    if (!month) return undefined;
    return localToIso(
      { year: Number(year), month, day: Number(day), hour: Number(hour ?? 0), minute: Number(minute ?? 0), second: 0 },
      timeZone,
    );
  }
  return undefined;
}
