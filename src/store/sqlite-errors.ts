/** What an operator should read for a SQLite or file-system failure. */
export function storageReason(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_LOCKED')) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return 'the database folder is not writable (mount a writable volume there)';
  if (
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    (code === 'SQLITE_IOERR_WRITE' && /full|space/i.test((err as Error).message))
  )
    return 'the disk is full';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'the file is not a newsdesk database or is corrupt';
  if (code === 'SQLITE_CANTOPEN') return 'the database file cannot be opened (check the path and permissions)';
  return (err as Error).message;
}
