export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Whether an Accept header lists OpenMetrics with a non-zero weight (Prometheus sends it first). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') return false;
    const q = params.find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Prometheus text (what prom-client writes) → OpenMetrics 1.0 text. The two differ, for our output,
 * in three places: a counter's family is named without `_total` (its samples keep it), blank lines
 * are not allowed, and the exposition ends with `# EOF`. We do this rather than switch prom-client's
 * registry to OpenMetrics because that switch renames counters in place, which breaks the text format.
 */
export function toOpenMetrics(text: string): string {
  const counters = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm)) counters.add(match[1]!);
  const family = (name: string) => (counters.has(name) ? name.replace(/_total$/, '') : name);
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (!meta) {
      lines.push(line);
      continue;
    }
    const [, keyword, name, rest = ''] = meta;
    // OpenMetrics also escapes double quotes in HELP; Prometheus text leaves them bare.
    const value = keyword === 'HELP' ? rest.replace(/(?<!\\)"/g, '\\"') : rest;
    lines.push(`# ${keyword} ${family(name!)} ${value}`.trimEnd());
  }
  return `${lines.join('\n')}\n# EOF\n`;
}
