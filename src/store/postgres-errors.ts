import { NewsdeskError } from '../domain/errors.js';

interface PgLikeError {
  code?: string;
  message?: string;
  errors?: unknown[];
}

/** `postgres://user@host:port/db`, never with the password, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

function codeOf(err: unknown): string {
  const own = (err as PgLikeError | undefined)?.code;
  if (own) return own;
  // Node reports a refused dual-stack connect as an AggregateError whose parts carry the code.
  const inner = (err as PgLikeError | undefined)?.errors?.[0] as PgLikeError | undefined;
  return inner?.code ?? '';
}

/**
 * SQLSTATE classes and socket codes whose statement certainly did not take effect: the connection
 * never opened, or the server ended the session (rolling back its transaction) before answering.
 * Only these are retried, so a retry never applies a write twice.
 */
export function isNotExecuted(err: unknown): boolean {
  const code = codeOf(err);
  if (
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'ENETUNREACH',
      '57P01',
      '57P02',
      '57P03',
      '53300',
    ].includes(code)
  )
    return true;
  const message = (err as PgLikeError | undefined)?.message ?? '';
  return /not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(
    message,
  );
}

/** What an operator should read for a PostgreSQL or network failure. */
export function postgresReason(err: unknown): string {
  const code = codeOf(err);
  const message = (err as PgLikeError | undefined)?.message ?? String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'the PostgreSQL server refused the connection (is it running and listening on that host and port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the PostgreSQL host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return 'the PostgreSQL host cannot be reached';
    case 'ECONNRESET':
      return 'the connection to PostgreSQL was reset';
    case '28P01':
    case '28000':
      return 'PostgreSQL rejected the user or password in DATABASE_URL';
    case '3D000':
      return `the database does not exist (${message})`;
    case '3F000':
      return 'the schema named in search_path does not exist (create it first)';
    case '42501':
      return `the database user lacks a permission (${message})`;
    case '57P01':
    case '57P02':
    case '57P03':
      return 'the PostgreSQL server is shutting down or starting up';
    case '53100':
      return 'the disk is full';
    case '53300':
      return 'PostgreSQL has no free connection slots (too many clients)';
    case '25006':
      return 'the database is read-only (is DATABASE_URL pointing at a standby?)';
  }
  if (/timeout exceeded when trying to connect|connection timeout/i.test(message))
    return 'timed out connecting to PostgreSQL';
  if (/Connection terminated|not queryable/i.test(message)) return 'the connection to PostgreSQL was lost';
  if (/does not support SSL/i.test(message))
    return 'the PostgreSQL server does not accept SSL (remove sslmode from DATABASE_URL)';
  return message;
}

/** One `storage` error with a readable reason; NewsdeskErrors pass through unchanged. */
export function storageError(what: string, err: unknown): NewsdeskError {
  if (err instanceof NewsdeskError) return err;
  return new NewsdeskError(
    'storage',
    `${what}: ${postgresReason(err)}`,
    { code: codeOf(err) || undefined },
    { cause: err },
  );
}
