import { spawnSync } from 'node:child_process';

export interface Family {
  name: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** A small reader for Prometheus text and OpenMetrics: families in order, with their samples. */
export function readFamilies(text: string): Family[] {
  const families: Family[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP') || line === '# EOF') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      families.push({ name: type[1]!, type: type[2]!, samples: [] });
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`unreadable line: ${line}`);
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const family = families.at(-1);
    if (!family) throw new Error(`sample before any TYPE: ${line}`);
    family.samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return families;
}

const SUFFIXES: Record<string, string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  summary: ['', '_count', '_sum', '_created'],
};

/**
 * The exposition rules Prometheus and OpenMetrics parsers enforce that a text can break: one TYPE per
 * family and no family twice; every sample named after its family with its type's suffix; `_total`
 * only on counters; no sample name that belongs to two families (the gauge-vs-counter clash);
 * histogram buckets in rising `le` order, counts never falling, `+Inf` equal to `_count`.
 * `openMetrics`: counter families are named without `_total` (OpenMetrics), else with it.
 */
export function expositionProblems(text: string, options: { openMetrics: boolean }): string[] {
  const problems: string[] = [];
  const families = readFamilies(text);
  const seen = new Set<string>();
  const owners = new Map<string, string>();
  const bases = new Map<string, string>();
  for (const family of families) {
    if (seen.has(family.name)) problems.push(`${family.name}: more than one TYPE`);
    seen.add(family.name);
    const base = family.type === 'counter' && !options.openMetrics ? family.name.replace(/_total$/, '') : family.name;
    if (family.type === 'counter' && !options.openMetrics && !family.name.endsWith('_total'))
      problems.push(`${family.name}: counter without _total`);
    if (family.type !== 'counter' && family.name.endsWith('_total'))
      problems.push(`${family.name}: _total on a ${family.type}`);
    if (options.openMetrics && family.type === 'counter' && family.name.endsWith('_total'))
      problems.push(`${family.name}: OpenMetrics counter family named with _total`);
    const allowed = (SUFFIXES[family.type] ?? ['']).map((suffix) => base + suffix);
    for (const sample of family.samples) {
      if (!allowed.includes(sample.name))
        problems.push(`${family.name}: sample ${sample.name} does not belong to a ${family.type}`);
      const owner = owners.get(sample.name);
      if (owner && owner !== family.name) problems.push(`${sample.name}: in both ${owner} and ${family.name}`);
      owners.set(sample.name, family.name);
    }
    // OpenMetrics names a counter's family without _total, so gauge x and counter x_total are one name.
    const other = bases.get(base);
    if (other && other !== family.name)
      problems.push(`${family.name}: clashes with ${other} (both are family ${base})`);
    bases.set(base, family.name);
    if (family.type === 'histogram') problems.push(...histogramProblems(family, base));
  }
  if (options.openMetrics && !text.endsWith('# EOF\n')) problems.push('OpenMetrics text does not end with # EOF');
  if (options.openMetrics && /\n\n/.test(text)) problems.push('blank line in OpenMetrics text');
  return problems;
}

function histogramProblems(family: Family, base: string): string[] {
  const problems: string[] = [];
  const series = new Map<string, { le: number; value: number }[]>();
  const counts = new Map<string, number>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (sample.name === `${base}_bucket`) {
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      series.set(key, [...(series.get(key) ?? []), { le: bound, value: sample.value }]);
    }
    if (sample.name === `${base}_count`) counts.set(key, sample.value);
  }
  for (const [key, buckets] of series) {
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]!.le > buckets[i - 1]!.le)) problems.push(`${family.name}${key}: le not rising`);
      if (buckets[i]!.value < buckets[i - 1]!.value) problems.push(`${family.name}${key}: bucket counts fall`);
    }
    const last = buckets.at(-1);
    if (last?.le !== Number.POSITIVE_INFINITY) problems.push(`${family.name}${key}: no +Inf bucket`);
    else if (counts.get(key) !== last.value) problems.push(`${family.name}${key}: +Inf bucket differs from _count`);
  }
  return problems;
}

/**
 * Prometheus' own Python client ships a strict OpenMetrics parser (Debian: python3-prometheus-client).
 * Returns undefined when no Python on this machine has it, else the parser's complaint or ''.
 */
export function pythonOpenMetricsVerdict(text: string): string | undefined {
  const script = [
    'import sys',
    'from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse',
    'print(len(list(parse(sys.stdin.read()))))',
  ].join('\n');
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import prometheus_client.openmetrics.parser'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const run = spawnSync(python, ['-c', script], { input: text, encoding: 'utf8', timeout: 20_000 });
    return run.status === 0 ? '' : (run.stderr.trim().split('\n').at(-1) ?? 'failed');
  }
  return undefined;
}
