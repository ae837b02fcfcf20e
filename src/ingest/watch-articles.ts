import { existsSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Logger } from '../logger.js';
import type { FileIngester } from './ingest-files.js';
import { isArticleFile } from './parse-article-file.js';

export interface ArticleWatcher {
  close(): void;
}

/** Editors write in several steps; wait for the file to settle before reading it. */
const SETTLE_MS = 200;
/** fs.watch can miss events (network and overlay filesystems); a slow rescan catches up. */
const RESCAN_MS = 60_000;

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Whether a file's folder really is inside the articles folder: a symlinked subfolder would
 * lead the single-file path out of it (the folder scan never descends into one).
 */
export async function insideFolder(file: string, realDir: string): Promise<boolean> {
  const parent = await realpath(dirname(file)).catch(() => undefined);
  return parent !== undefined && (parent === realDir || parent.startsWith(`${realDir}${sep}`));
}

/** Ingest new and changed files in the articles folder while the bot runs. */
export function watchArticles(deps: { dir: string; ingester: FileIngester; log: Logger }): ArticleWatcher {
  const dir = resolve(deps.dir);
  const realDir = realpathOr(dir);
  const timers = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  const enqueue = (path: string) => {
    queue = queue
      .then(async () =>
        path === dir || (await insideFolder(path, realDir)) ? deps.ingester.ingestPath(path) : undefined,
      )
      .then(() => undefined)
      .catch((err: unknown) => deps.log.error({ err, file: path }, 'ingest failed'));
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (!name || !isArticleFile(name.toString())) return;
      const path = join(dir, name.toString());
      clearTimeout(timers.get(path));
      timers.set(
        path,
        setTimeout(() => {
          timers.delete(path);
          // A deleted file keeps its article: nothing a reader saw is taken away.
          if (existsSync(path)) enqueue(path);
        }, SETTLE_MS),
      );
    });
    watcher.on('error', (err) =>
      deps.log.warn({ err, dir }, 'article folder watch failed; relying on periodic rescans'),
    );
  } catch (err) {
    deps.log.warn({ err, dir }, 'cannot watch the articles folder; relying on periodic rescans');
  }
  const rescan = setInterval(() => enqueue(dir), RESCAN_MS);
  rescan.unref();

  return {
    close() {
      watcher?.close();
      clearInterval(rescan);
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
