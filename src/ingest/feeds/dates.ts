import { MONTH_NAMES } from '../month-names.js';
/**
 * Feed dates: RFC 822/2822 (RSS), ISO 8601 / W3C-DTF (Atom, Dublin Core, JSON Feed), and the broken
 * forms seen in the wild (missing seconds, two-digit years, full month names, named US zones,
 * `GMT+01:00`, asctime, commas in odd places). Returns an ISO 8601 UTC instant or undefined.
 */
export function parseFeedDate(input: string | undefined): string | undefined {
  // No real date is this long; refusing early keeps the tokeniser's work small.
  if (input === undefined || input.length > 256) return undefined;
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return undefined;
  const ms = parseW3dtf(text) ?? parseRfc822(text) ?? parseKorean(text);
  if (ms === undefined || Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Offsets in minutes east of UTC for the zone names RSS feeds actually use. */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  'ETC/GMT': 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AT: -240,
  ET: -300,
  CT: -360,
  MT: -420,
  PT: -480,
  AST: -240,
  ADT: -180,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  BST: 60,
  IST: 330,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  ACST: 570,
  AWST: 480,
  NZST: 720,
  NZDT: 780,
  MSK: 180,
};

function utc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millis = 0,
  offsetMinutes = 0,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  const shifted = ms - offsetMinutes * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; undo that for genuinely ancient dates.
  if (year >= 0 && year < 100) {
    const d = new Date(shifted);
    d.setUTCFullYear(d.getUTCFullYear() - 1900);
    return d.getTime();
  }
  return shifted;
}

function parseOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper];
  const numeric = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(upper);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? '0');
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // Military single letters are too often wrong to trust; treat them as UTC.
  if (/^[A-IK-Z]$/.test(upper)) return 0;
  return undefined;
}

const W3DTF =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)? ?(Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{1,5})?)?$/i;

function parseW3dtf(text: string): number | undefined {
  // Some feeds write the month with three digits ("2003-012-31").
  const m = W3DTF.exec(text.replace(/^(\d{4})-0(\d{2})-/, '$1-$2-'));
  if (!m) return undefined;
  const offset = parseOffset(m[8]);
  if (offset === undefined) return undefined;
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return utc(
    Number(m[1]),
    Number(m[2] ?? '1'),
    Number(m[3] ?? '1'),
    Number(m[4] ?? '0'),
    Number(m[5] ?? '0'),
    Number(m[6] ?? '0'),
    Math.min(millis, 999),
    offset,
  );
}

/** The form nearly every RSS date takes: "Thu, 01 Feb 2024 09:05:00 +0000" (weekday optional, zone any). */
const RFC822_COMMON =
  /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) ([1-9]\d{3}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|[A-Za-z]{1,5})$/;

function parseRfc822(text: string): number | undefined {
  // The common form in one match; the general tokeniser below reads it the same way, only slower.
  const common = RFC822_COMMON.exec(text);
  const commonMonth = common ? MONTHS[common[2]!.toLowerCase()] : undefined;
  if (common && commonMonth !== undefined) {
    const offset = parseOffset(common[7]);
    if (offset === undefined) return undefined;
    const [, day, , year, hour, minute, second] = common;
    return utc(Number(year), commonMonth, Number(day), Number(hour), Number(minute), Number(second), 0, offset);
  }
  // Drop the weekday, however it is attached ("Thu,", "Thu", "Fri,24"), and stray commas.
  let rest = text.replace(/^[A-Za-z]+\.?,?\s*(?=\d|[A-Za-z]{3})/, (day) =>
    /^[A-Za-z]{3,9}\.?,?\s*$/.test(day) ? '' : day,
  );
  rest = rest.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
  // Perforce style: 2006/09/15 08:19:53 EDT
  const slash = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?(?: (\S+))?$/.exec(rest);
  if (slash) {
    const offset = parseOffset(slash[7]);
    if (offset === undefined) return undefined;
    return utc(
      Number(slash[1]),
      Number(slash[2]),
      Number(slash[3]),
      Number(slash[4] ?? '0'),
      Number(slash[5] ?? '0'),
      Number(slash[6] ?? '0'),
      0,
      offset,
    );
  }
  const tokens = rest.split(' ');
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: string | undefined;
  let zone: string | undefined;
  for (const token of tokens) {
    const lower = token.toLowerCase().replace(/\.$/, '');
    if (
      month === undefined &&
      /^[a-z]{3,9}$/.test(lower) &&
      MONTHS[lower.slice(0, lower === 'sept' ? 4 : 3)] !== undefined &&
      isMonthName(lower)
    ) {
      month = MONTHS[lower.slice(0, 3)];
    } else if (/^\d{1,2}:\d{1,2}(:\d{1,2})?(\.\d+)?$/.test(token) && time === undefined) {
      time = token;
    } else if (/^\d{1,2}$/.test(token) && day === undefined && (month === undefined || year === undefined)) {
      day = Number(token);
    } else if (/^\d{2}$|^\d{4}$/.test(token) && year === undefined) {
      year = Number(token);
    } else if (zone === undefined && time !== undefined) {
      zone = token;
    } else {
      return undefined;
    }
  }
  if (day === undefined || month === undefined || year === undefined) return undefined;
  // Two-digit years: RFC 2822 §4.3 windowing.
  if (year < 100 && String(tokens.find((t) => /^\d+$/.test(t) && Number(t) === year)).length <= 2)
    year += year < 50 ? 2000 : 1900;
  const [h = '0', mi = '0', s = '0'] = (time ?? '0:0:0').split(':');
  if (time && time.split(':').length > 3) return undefined;
  const offset = parseOffset(zone);
  if (offset === undefined) return undefined;
  return utc(year, month, day, Number(h), Number(mi), Math.floor(Number(s)), 0, offset);
}

function isMonthName(lower: string): boolean {
  return lower.length <= 4 || MONTH_NAMES.some((name) => name.startsWith(lower));
}

/** Korean blog engines: "2004-05-25 오후 11:23:17" (KST) and "2004년 05월 28일 01:31:15". */
function parseKorean(text: string): number | undefined {
  const nate = /^(\d{4})-(\d{2})-(\d{2}) (오전|오후) (\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (nate) {
    let hour = Number(nate[5]) % 12;
    if (nate[4] === '오후') hour += 12;
    return utc(Number(nate[1]), Number(nate[2]), Number(nate[3]), hour, Number(nate[6]), Number(nate[7]), 0, 540);
  }
  const onblog = /^(\d{4})년 (\d{2})월 (\d{2})일 (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (onblog)
    return utc(
      Number(onblog[1]),
      Number(onblog[2]),
      Number(onblog[3]),
      Number(onblog[4]),
      Number(onblog[5]),
      Number(onblog[6]),
      0,
      540,
    );
  return undefined;
}
