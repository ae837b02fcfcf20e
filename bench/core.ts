/**
 * Walking-skeleton benchmarks. One JSON line per figure on stdout.
 *   npm run bench            (full: 10,000 files, 100,000 stored articles)
 *   npm run bench -- --quick (a tenth of that, to check the harness)
 *   npm run bench -- --only cold_ingest|handlers|start_to_ready
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { createExecutor } from '../commands/execute.js';
import type { Invocation } from '../src/domain/invocation.js';
import { enrichDraft } from '../src/ingest/enrich.js';
import { createFileIngester } from '../src/ingest/ingest-files.js';
import { parseArticleFile } from '../src/ingest/parse-article-file.js';
import { openSqliteStores } from '../src/store/sqlite-open.js';
import { createRandom, generateArticleText } from './generate.js';
import { benchHostile } from './hostile.js';

const quick = process.argv.includes('--quick');
/** `--only cold_ingest` runs one figure. */
const only = process.argv[process.argv.indexOf('--only') + 1];
const wanted = (figure: string) => !process.argv.includes('--only') || only === figure;
const FILES = quick ? 1_000 : 10_000;
const STORED = quick ? 10_000 : 100_000;
const log = pino({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'newsdesk-bench-'));
const print = (figure: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figure)}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function coldIngest(): Promise<void> {
  const dir = join(root, 'files');
  mkdirSync(dir);
  const random = createRandom(1);
  for (let index = 0; index < FILES; index += 1)
    writeFileSync(join(dir, `story-${index}.txt`), generateArticleText(index, random));
  const stores = openSqliteStores(join(root, 'ingest.db'));
  const ingester = createFileIngester({ stores, log, timeZone: 'UTC' });
  const started = performance.now();
  const counts = await ingester.ingestPath(dir);
  const seconds = (performance.now() - started) / 1000;
  await stores.close();
  print({
    figure: 'cold_ingest',
    files: FILES,
    new: counts.new,
    rejected: counts.rejected.length,
    seconds: +seconds.toFixed(2),
    articles_per_s: Math.round(counts.new / seconds),
    target_articles_per_s: 2000,
  });
}

async function fillStore(path: string): Promise<void> {
  const stores = openSqliteStores(path);
  const random = createRandom(2);
  const started = performance.now();
  for (let batch = 0; batch < STORED / 1000; batch += 1) {
    const inputs = Array.from({ length: 1000 }, (_, offset) => {
      const index = batch * 1000 + offset;
      return enrichDraft(
        parseArticleFile({
          path: `/gen/${index}.txt`,
          bytes: Buffer.from(generateArticleText(index, random)),
          timeZone: 'UTC',
        }),
      );
    });
    await stores.articles.upsertMany(inputs);
  }
  print({
    figure: 'fill_store',
    articles: await stores.articles.count(),
    seconds: +((performance.now() - started) / 1000).toFixed(1),
  });
  await stores.close();
}

async function handlerLatency(path: string): Promise<void> {
  const stores = openSqliteStores(path);
  const execute = createExecutor({ stores, log });
  const ids = (await stores.articles.latest(200)).map((article) => article.id);
  const call = (sub: string, args: Record<string, string>): Invocation => ({
    command: 'news',
    sub,
    args,
    user: { platform: 'console', id: 'bench', canManage: false },
    channel: 'console:main',
  });
  for (const [name, make] of [
    ['latest', (i: number) => call('latest', { count: String(1 + (i % 10)) })],
    ['summary', (i: number) => call('summary', { id: ids[i % ids.length]! })],
  ] as const) {
    for (let i = 0; i < 500; i += 1) await execute(make(i));
    const times: number[] = [];
    for (let i = 0; i < 5_000; i += 1) {
      const started = performance.now();
      await execute(make(i));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    print({
      figure: `handler_${name}`,
      stored: STORED,
      calls: times.length,
      median_ms: +percentile(times, 50).toFixed(3),
      p99_ms: +percentile(times, 99).toFixed(3),
      target_p99_ms: 2,
    });
  }
  await stores.close();
}

async function startToReady(path: string): Promise<void> {
  const articles = join(root, 'empty-articles');
  mkdirSync(articles, { recursive: true });
  const runs: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    const child = spawn(process.execPath, [resolve('bin/run.mjs'), 'main'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `sqlite:${path}`,
        ARTICLES_DIR: articles,
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const port = await new Promise<number>((resolvePort, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"port":(\d+)/.exec(stderr);
        if (match) resolvePort(Number(match[1]));
      });
      child.on('exit', () => reject(new Error(`bot exited: ${stderr}`)));
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    for (;;) {
      // A bot that dies or never gets ready ends the benchmark with its log, not a loop forever.
      if (exited || performance.now() - started > 60_000) {
        child.kill('SIGKILL');
        throw new Error(`bot ${exited ? 'exited' : 'was not ready after 60 s'} before /readyz said ready:\n${stderr}`);
      }
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    runs.push(performance.now() - started);
    for (let i = 0; i < 20; i += 1) await fetch(`http://127.0.0.1:${port}/healthz`);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
  runs.sort((a, b) => a - b);
  rss.sort((a, b) => a - b);
  print({
    figure: 'start_to_ready',
    stored: STORED,
    runs: runs.length,
    median_ms: Math.round(percentile(runs, 50)),
    target_ms: 1500,
    note: 'includes node + tsx start-up (bin/run.mjs), as npm start does',
  });
  print({ figure: 'resident_memory', stored: STORED, median_mb: Math.round(percentile(rss, 50)), target_mb: 200 });
}

try {
  if (wanted('cold_ingest')) await coldIngest();
  // --hostile-guard measures only the cases this part of issue 13 fixed (the others can take minutes until theirs land).
  if (wanted('hostile_worst_stall'))
    await benchHostile(print, process.argv.includes('--hostile-guard') ? { owners: ['guard'] } : {});
  if (wanted('handlers') || wanted('start_to_ready')) {
    const path = join(root, 'stored.db');
    await fillStore(path);
    if (wanted('handlers')) await handlerLatency(path);
    if (wanted('start_to_ready')) await startToReady(path);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
