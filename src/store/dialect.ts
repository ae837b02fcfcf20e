import type { ArticleTitle, ClaimQuery } from './ports.js';
import type { Db } from './connections.js';
import type { DialectName } from './migrations.js';
import type { DeliveryRow } from './rows.js';

/**
 * What SQLite and PostgreSQL really do differently; every other query is written once over Kysely.
 */
export interface StoreDialect {
  name: DialectName;
  /** Opens a write transaction (SQLite: IMMEDIATE, so busy_timeout applies). */
  begin: string;
  /** Extra columns of an articles row over two query parameters (PostgreSQL: the tsvector). */
  searchColumns(title: unknown, body: unknown): Record<string, unknown>;
  /** What those parameters hold for an article's title and for its body text. */
  searchText(text: string): string;
  /** After an articles row is written, inside the same transaction (SQLite: the FTS5 row). */
  indexArticle(trx: Db, num: number | string, title: string, body: string, replaced: boolean): Promise<void>;
  /** The same for rows just inserted, several at once. */
  indexArticles(trx: Db, rows: { num: number | string; title: string; body: string }[]): Promise<void>;
  /** `data` of the best matches of user search text, best first, among what `viewer` may see (visibility.ts). */
  search(db: Db, text: string, limit: number, viewer?: string): Promise<string[]>;
  /** Titles whose words start with what is typed (the last word as a prefix), among what `viewer` may see. */
  titlesMatching(db: Db, typed: string, limit: number, viewer?: string): Promise<ArticleTitle[]>;
  /** Claim free channels for `query.owner` and return their due rows (see DeliveryStore.claimDue). */
  claimDue(db: Db, query: ClaimQuery): Promise<DeliveryRow[]>;
  /** An operator-readable reason for a failure. */
  reason(err: unknown): string;
  /** The failure certainly applied nothing and may be retried (the server is away or restarting). */
  isNotExecuted(err: unknown): boolean;
  /** How long to keep retrying such failures. */
  retryMs: number;
}
