import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createExtractPool, type ExtractPool } from './extract-pool.js';
import { TEASER_MAX_WORDS } from './teaser.js';

export interface ExtractCliDeps {
  input: Readable;
  output: Writable;
  /** Defaults to a one-worker pool with the standard time budget, closed at the end. */
  extractor?: Pick<ExtractPool, 'extract'>;
}

interface Line {
  id: unknown;
  title?: string;
  byline?: string;
  published?: string;
  text?: string;
  basis?: string;
  reason?: string;
  error?: string;
}

/**
 * `news extract`: JSON lines `{"id","url","html"}` in, `{"id","title","byline","published","text","basis"}`
 * out, one for one and in order. A bad line gets `{"id","error"}` and the run carries on. `basis` is
 * `full`, `paywalled`, or `teaser` (with a `reason`) when no article could be found in the page.
 */
export async function runExtractCli(deps: ExtractCliDeps): Promise<{ lines: number; errors: number }> {
  const own = deps.extractor ? undefined : createExtractPool();
  const extractor = deps.extractor ?? own!;
  const lines = createInterface({ input: deps.input, crlfDelay: Infinity });
  let count = 0;
  let errors = 0;
  try {
    for await (const raw of lines) {
      if (!raw.trim()) continue;
      count++;
      const line = await handle(raw, extractor);
      if (line.error) errors++;
      if (!deps.output.write(`${JSON.stringify(line)}\n`)) {
        await new Promise((resolve) => deps.output.once('drain', resolve));
      }
    }
  } finally {
    await own?.close();
  }
  return { lines: count, errors };
}

async function handle(raw: string, extractor: Pick<ExtractPool, 'extract'>): Promise<Line> {
  let job: unknown;
  try {
    job = JSON.parse(raw);
  } catch {
    return { id: null, error: 'not a JSON object' };
  }
  if (!job || typeof job !== 'object' || Array.isArray(job)) return { id: null, error: 'not a JSON object' };
  const { id = null, url, html } = job as { id?: unknown; url?: unknown; html?: unknown };
  if (typeof html !== 'string') return { id, error: 'missing "html" (a string)' };
  if (url !== undefined && typeof url !== 'string') return { id, error: '"url" must be a string' };
  if (typeof url === 'string' && !/^https?:\/\//i.test(url)) return { id, error: '"url" must be an http(s) URL' };
  const outcome = await extractor.extract(html, url);
  if (!outcome.ok) return { id, error: outcome.reason };
  const article = outcome.article;
  const out: Line = {
    id,
    title: article.title ?? '',
    byline: article.byline ?? '',
    published: article.published ?? '',
    text: article.text,
  };
  const words = article.text.split(/\s+/).filter(Boolean).length;
  out.basis = article.paywalled ? 'paywalled' : words < TEASER_MAX_WORDS ? 'teaser' : 'full';
  if (article.paywalled) out.reason = article.paywallReason ?? 'the article is behind a paywall';
  else if (words < TEASER_MAX_WORDS) out.reason = 'the page is not an article page';
  return out;
}

/** The CLI entry point's one-line hook: stdin → stdout, exit code 0 (bad lines are reported in the output). */
export async function runExtractCliOnStdio(): Promise<number> {
  await runExtractCli({ input: process.stdin, output: process.stdout });
  return 0;
}
