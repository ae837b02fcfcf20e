/** Schedule presets offered as the user types; any other cron expression may still be typed. */
export const SCHEDULE_PRESETS: readonly { name: string; value: string }[] = [
  { name: 'Every 10 minutes', value: '*/10 * * * *' },
  { name: 'Hourly', value: '0 * * * *' },
  { name: 'Daily at 09:00', value: '0 9 * * *' },
  { name: 'Weekdays at 09:00', value: '0 9 * * 1-5' },
];

const MAX_CHOICES = 25;

/** IANA zone names matching what was typed (case-insensitive, `_` and space alike), UTC first. */
export function timeZoneSuggestions(typed: string): { name: string; value: string }[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  const want = typed
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_')
    .slice(0, 64);
  const hits = want ? zones.filter((zone) => zone.toLowerCase().includes(want)) : zones;
  // Zones whose city starts with the typed text read best first: "ber" → Europe/Berlin before Asia/Ulaanbaatar.
  const starts = (zone: string) =>
    zone
      .toLowerCase()
      .split('/')
      .some((part) => part.startsWith(want))
      ? 0
      : 1;
  return [...hits]
    .sort((a, b) => starts(a) - starts(b))
    .slice(0, MAX_CHOICES)
    .map((zone) => ({ name: zone, value: zone }));
}

/** Presets, plus what was typed as "custom cron" when it is not one of them. */
export function scheduleSuggestions(typed: string): { name: string; value: string }[] {
  const text = typed.trim().slice(0, 100);
  const want = text.toLowerCase();
  const presets = SCHEDULE_PRESETS.filter(
    (preset) => !want || preset.name.toLowerCase().includes(want) || preset.value.startsWith(text),
  );
  const custom = text && !SCHEDULE_PRESETS.some((preset) => preset.value === text) && /^[\d*/,\- ]+$/.test(text);
  const out = custom ? [{ name: `Custom cron: ${text}`, value: text }, ...presets] : presets;
  return (out.length > 0 ? out : SCHEDULE_PRESETS).slice(0, MAX_CHOICES).map((choice) => ({ ...choice }));
}

/** Suggestions for an option that offers them; undefined for one that does not. */
export function optionSuggestions(
  kind: string | undefined,
  typed: string,
): { name: string; value: string }[] | undefined {
  if (kind === 'timezone') return timeZoneSuggestions(typed);
  if (kind === 'schedule') return scheduleSuggestions(typed);
  return undefined;
}
