/**
 * Where cold ingest and the command handlers spend their time, step by step, in CPU microseconds
 * per article (the fastest of five rounds, single thread, so a busy machine distorts it less than a
 * wall clock). One JSON line per checkout:
 *   node bin/run.mjs bench/ingest-steps.ts                          (this checkout)
 *   node bin/run.mjs bench/ingest-steps.ts --root /path/to/other    (another checkout, e.g. an older commit)
 * The other checkout is imported by path (its own modules and node_modules), so both sides of a
 * comparison run the same harness. It needs the module paths every commit since cf6b86b has.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const rootAt = process.argv.indexOf('--root');
const root = resolve(rootAt >= 0 ? process.argv[rootAt + 1]! : '.');
// biome-ignore lint/suspicious/noExplicitAny: another checkout's modules, typed by that checkout
const load = (path: string): Promise<any> => import(join(root, path));
const { parseArticleFile } = await load('src/ingest/parse-article-file.ts');
const { enrichDraft } = await load('src/ingest/enrich.ts');
const { summarizeDraft } = await load('src/summarize/summarize.ts');
const { extractSources } = await load('src/summarize/sources.ts');
const { openSqliteStores } = await load('src/store/sqlite-open.ts');
const { createExecutor } = await load('commands/execute.ts');
const { createRandom, generateArticleText } = await load('bench/generate.ts');
const { pino } = createRequire(join(root, 'package.json'))('pino');

const ARTICLES = 1_000;
const CALLS = 5_000;
const random = createRandom(1);
const files = Array.from({ length: ARTICLES }, (_, i) => Buffer.from(generateArticleText(i, random)));

/** CPU microseconds per unit of `work`. */
async function cpu(units: number, work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / units;
}

const best: Record<string, number> = {};
for (let round = 0; round < 5; round += 1) {
  // biome-ignore lint/suspicious/noExplicitAny: see load
  let drafts: any[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: see load
  let inputs: any[] = [];
  const steps: Record<string, number> = {};
  steps.parse = await cpu(ARTICLES, () => {
    drafts = files.map((bytes, i) => parseArticleFile({ path: `/gen/${i}.txt`, bytes, timeZone: 'UTC' }));
  });
  steps.summarize = await cpu(ARTICLES, () => {
    for (const draft of drafts) summarizeDraft(draft, { sentences: 3, maxChars: 3000 });
  });
  steps.sources = await cpu(ARTICLES, () => {
    for (const draft of drafts) extractSources(draft);
  });
  steps.enrich = await cpu(ARTICLES, () => {
    inputs = drafts.map((draft) => enrichDraft(draft));
  });
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-bench-steps-'));
  const stores = openSqliteStores(join(dir, 'steps.db'));
  try {
    steps.upsert = await cpu(ARTICLES, async () => {
      for (let at = 0; at < inputs.length; at += 500) await stores.articles.upsertMany(inputs.slice(at, at + 500));
    });
    steps.get_file = await cpu(ARTICLES, async () => {
      for (const input of inputs) await stores.files.getFile(input.origin.path);
    });
    const execute = createExecutor({ stores, log: pino({ level: 'silent' }) });
    const user = { platform: 'console', id: 'bench', canManage: false };
    // biome-ignore lint/suspicious/noExplicitAny: see load
    const ids = (await stores.articles.latest(200)).map((article: any) => article.id);
    const ask = (sub: string, args: Record<string, string>) =>
      execute({ command: 'news', sub, args, user, channel: 'console:main' });
    steps.latest_call = await cpu(CALLS, async () => {
      for (let i = 0; i < CALLS; i += 1) await ask('latest', { count: String(1 + (i % 10)) });
    });
    steps.summary_call = await cpu(CALLS, async () => {
      for (let i = 0; i < CALLS; i += 1) await ask('summary', { id: ids[i % ids.length] });
    });
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [step, micros] of Object.entries(steps)) best[step] = Math.min(best[step] ?? Infinity, Math.round(micros));
}
process.stdout.write(
  `${JSON.stringify({
    figure: 'ingest_steps',
    checkout: basename(root),
    cpu_us_min_of_5: best,
    note: 'per article (calls: per call); single thread',
    load: loadavg()[0],
  })}\n`,
);
