import { NewsdeskError } from '../domain/errors.js';
import { createArticleStore } from './article-store.js';
import type { Db } from './connections.js';
import { createDeliveryStore } from './delivery-store.js';
import type { StoreDialect } from './dialect.js';
import { createFeedStore } from './feed-store.js';
import { createFullTextRetryStore } from './fulltext-retry-store.js';
import type { Stores } from './ports.js';
import { createFileIndexStore, createMetaStore } from './small-stores.js';
import { createSubscriptionStore } from './subscription-store.js';

/** What an operator reads when a method fails; the rest say "database query failed". */
const WHAT: Record<string, (args: unknown[]) => string> = {
  upsert: () => 'cannot store the article',
  upsertMany: (args) => `cannot store ${(args[0] as unknown[]).length} articles`,
  clearOutbox: () => 'cannot record the fan-out',
  setFiles: () => 'cannot record article files',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One `storage` error with a readable reason; NewsdeskErrors pass through unchanged. */
export function storageError(dialect: StoreDialect, what: string, err: unknown): NewsdeskError {
  if (err instanceof NewsdeskError) return err;
  const code = (err as { code?: unknown }).code;
  return new NewsdeskError(
    'storage',
    `${what}: ${dialect.reason(err)}`,
    { code: typeof code === 'string' ? code : undefined },
    { cause: err },
  );
}

/**
 * Every method of a store, guarded: a failure that certainly applied nothing (PostgreSQL away or
 * restarting) is retried for a while, and any failure becomes one readable `storage` error.
 */
export function guarded<T extends object>(store: T, dialect: StoreDialect): T {
  const out: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    out[name] = async (...args: unknown[]) => {
      const deadline = Date.now() + dialect.retryMs;
      for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
        try {
          return await method(...args);
        } catch (err) {
          if (dialect.isNotExecuted(err) && Date.now() + delay <= deadline) {
            await sleep(delay);
            continue;
          }
          throw storageError(dialect, WHAT[name]?.(args) ?? 'database query failed', err);
        }
      }
    };
  }
  return out as T;
}

/** The stores every database provides, written once over Kysely. */
export function buildStores(db: Db, dialect: StoreDialect): Omit<Stores, 'close' | 'locks' | 'rateSlots'> {
  return {
    articles: guarded(createArticleStore(db, dialect), dialect),
    deliveries: guarded(createDeliveryStore(db, dialect), dialect),
    meta: guarded(createMetaStore(db), dialect),
    files: guarded(createFileIndexStore(db, dialect), dialect),
    subscriptions: guarded(createSubscriptionStore(db), dialect),
    feeds: guarded(createFeedStore(db, dialect.begin), dialect),
    fullTextRetries: guarded(createFullTextRetryStore(db), dialect),
  };
}
