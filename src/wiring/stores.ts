import type { Config } from '../config.js';
import { NewsdeskError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { isPostgresUrl, openPostgresStores } from '../store/postgres-open.js';
import type { Stores } from '../store/ports.js';
import { openSqliteStores, sqlitePath } from '../store/sqlite-open.js';

/** DATABASE_URL picks the store: `postgres://…` for PostgreSQL (several replicas), `sqlite:<path>` otherwise. */
export async function openStores(config: Config, log?: Logger): Promise<Stores> {
  if (isPostgresUrl(config.databaseUrl)) return openPostgresStores(config.databaseUrl, { log });
  if (!config.databaseUrl.startsWith('sqlite:')) {
    throw new NewsdeskError('config', 'DATABASE_URL: must be sqlite:<path> or postgres://…');
  }
  return openSqliteStores(sqlitePath(config.databaseUrl));
}
