import { lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NewsdeskError, isNewsdeskError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { ArticleInput, FileRecord, Stores, UpsertResult } from '../store/ports.js';
import { enrichDraft } from './enrich.js';
import { MAX_ARTICLE_BYTES } from './files/decode-text.js';
import { readBounded } from './files/read-bounded.js';
import { isArticleFile, parseArticleFile } from './parse-article-file.js';
import { createParsePool, type ParsePool } from './parse-pool.js';

export interface IngestCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: { file: string; reason: string }[];
}

export interface FileIngester {
  /** Ingest one file or every article file below a folder. Never throws for a bad file. */
  ingestPath(path: string): Promise<IngestCounts>;
}

const BATCH = 500;
/**
 * Files read and parsing at once. Storing a batch holds the main thread; the files already handed
 * to the parser workers go on meanwhile, so the window is kept full instead of drained per group.
 */
const IN_FLIGHT = 256;
/** Below this many files, starting worker threads costs more than it saves. */
const POOL_THRESHOLD = 200;
/**
 * Parsing and summarising grow with the text: 64 KB takes a few milliseconds, the hostile 8,000
 * sentences (300 KB) well over 100 ms. A file above this size is parsed in a worker even when it
 * comes alone, so the event loop (commands, posts, health checks) never waits on one document.
 */
export const MAIN_THREAD_MAX_BYTES = 64 * 1024;

async function parseInPool(pool: ParsePool, path: string, bytes: Uint8Array, timeZone: string): Promise<ArticleInput> {
  const outcome = await pool.parse({ path, bytes, timeZone });
  if (outcome.ok) return outcome.input;
  throw new NewsdeskError('bad_input', outcome.reason);
}

export const emptyCounts = (): IngestCounts => ({ new: 0, updated: 0, unchanged: 0, rejected: [] });

/**
 * The folder named (ARTICLES_DIR may itself be a symlink the operator chose) and the regular
 * files below it. A single file is held to the folder scan's rule: symlinks, FIFOs, sockets and
 * devices are skipped, so the watcher never follows a link out of the folder or opens a FIFO.
 */
async function listArticleFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return (await lstat(path)).isFile() ? [path] : [];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (entry) =>
        entry.isFile() && isArticleFile(entry.name) && !entry.name.startsWith('.') && !/^readme\./i.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function createFileIngester(deps: {
  stores: Stores;
  log: Logger;
  timeZone: string;
  /** Told about every new or changed article, after it is stored (fan-out, metrics). */
  onStored?: (result: UpsertResult) => Promise<void> | void;
  /** Starts the worker threads (tests watch which files go there). */
  createPool?: (size?: number) => ParsePool;
}): FileIngester {
  const { stores, log } = deps;
  /** File → the version (mtime, size) and reason last warned about. */
  const warned = new Map<string, string>();

  const parseHere = async (path: string, bytes: Uint8Array): Promise<ArticleInput> =>
    enrichDraft(parseArticleFile({ path, bytes, timeZone: deps.timeZone }));

  async function prepare(
    file: string,
    counts: IngestCounts,
    parse: typeof parseHere,
    known: FileRecord | undefined,
  ): Promise<{ input: ArticleInput; file: string; mtimeMs: number; size: number } | undefined> {
    let version = '';
    try {
      const info = await stat(file);
      if (
        known &&
        known.mtimeMs === info.mtimeMs &&
        known.size === info.size &&
        (await stores.articles.getByKey(known.articleKey))
      ) {
        counts.unchanged += 1;
        return undefined;
      }
      version = `${info.mtimeMs}:${info.size}`;
      if (info.size > MAX_ARTICLE_BYTES) {
        throw new NewsdeskError('bad_input', `file is larger than ${MAX_ARTICLE_BYTES / 1024 / 1024} MB`);
      }
      const input = await parse(file, await readBounded(file, MAX_ARTICLE_BYTES));
      if (known && known.articleKey !== input.key) input.previousKey = known.articleKey;
      warned.delete(file);
      return { input, file, mtimeMs: info.mtimeMs, size: info.size };
    } catch (err) {
      const reason = isNewsdeskError(err) ? err.message : `cannot read file: ${(err as Error).message}`;
      counts.rejected.push({ file, reason });
      // The 60 s rescan meets the same bad file again: say so once per content version.
      const seen = `${version} ${reason}`;
      if (warned.get(file) === seen) {
        log.debug({ file, reason }, 'article file still rejected');
      } else {
        warned.set(file, seen);
        log.warn({ file, reason }, 'article file rejected');
      }
      return undefined;
    }
  }

  async function store(batch: NonNullable<Awaited<ReturnType<typeof prepare>>>[], counts: IngestCounts) {
    if (batch.length === 0) return;
    let results: UpsertResult[];
    try {
      results = await stores.articles.upsertMany(batch.map((item) => item.input));
    } catch (err) {
      // Nothing of this batch was written (one transaction); the files stay as they are and are tried again on the next scan.
      const reason = err instanceof Error ? err.message : String(err);
      log.error({ err, files: batch.length }, 'articles not stored');
      for (const item of batch) counts.rejected.push({ file: item.file, reason });
      return;
    }
    // Only a cache: if it cannot be written, the next scan parses these files again and finds them unchanged.
    await stores.files
      .setFiles(
        batch.map((item, index) => ({
          path: item.file,
          mtimeMs: item.mtimeMs,
          size: item.size,
          articleKey: results[index]!.article.key,
        })),
      )
      .catch((err: unknown) => log.warn({ err }, 'article file index not updated'));
    for (const [index, result] of results.entries()) {
      const item = batch[index]!;
      counts[result.status] += 1;
      if (result.status !== 'unchanged') {
        log.info({ articleId: result.article.id, file: item.file, status: result.status }, 'article stored');
        await deps.onStored?.(result);
      }
    }
  }

  /** What the file index knows of these files: one query for a folder, not one per file. */
  async function knownFiles(path: string, files: string[]): Promise<Map<string, FileRecord>> {
    try {
      const records =
        files.length === 1 && files[0] === path
          ? [await stores.files.getFile(path)].filter((record) => record !== undefined)
          : await stores.files.filesUnder(path);
      return new Map(records.map((record) => [record.path, record]));
    } catch (err) {
      // Only a cache: without it every file is parsed again, and unchanged ones are found so by their hash.
      log.warn({ err, path }, 'article file index not read; parsing every file');
      return new Map();
    }
  }

  return {
    async ingestPath(path) {
      const counts = emptyCounts();
      let files: string[];
      try {
        files = await listArticleFiles(resolve(path));
      } catch (err) {
        const reason = (err as { code?: string }).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message;
        counts.rejected.push({ file: path, reason });
        log.warn({ file: path, reason }, 'cannot read articles');
        return counts;
      }
      let batch: NonNullable<Awaited<ReturnType<typeof prepare>>>[] = [];
      const startPool = deps.createPool ?? createParsePool;
      const pool = files.length >= POOL_THRESHOLD ? startPool() : undefined;
      // One worker, started for the first large file of a small scan and closed with the scan.
      let solo: ParsePool | undefined;
      const parse: typeof parseHere = (path, bytes) => {
        if (pool) return parseInPool(pool, path, bytes, deps.timeZone);
        if (bytes.length <= MAIN_THREAD_MAX_BYTES) return parseHere(path, bytes);
        solo ??= startPool(1);
        return parseInPool(solo, path, bytes, deps.timeZone);
      };
      try {
        const index = await knownFiles(resolve(path), files);
        // A sliding window: results are taken in file order, and each one taken lets the next file in.
        const inFlight: ReturnType<typeof prepare>[] = [];
        let next = 0;
        const refill = () => {
          for (; inFlight.length < IN_FLIGHT && next < files.length; next++) {
            inFlight.push(prepare(files[next]!, counts, parse, index.get(files[next]!)));
          }
        };
        refill();
        while (inFlight.length > 0) {
          const item = await inFlight.shift()!;
          refill();
          if (item) batch.push(item);
          if (batch.length >= BATCH) {
            await store(batch, counts);
            batch = [];
          }
        }
        await store(batch, counts);
      } finally {
        await Promise.all([pool?.close(), solo?.close()]);
      }
      return counts;
    },
  };
}
