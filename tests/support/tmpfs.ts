import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real small or read-only file system for fault tests. Needs root and mount permission (CI here
 * runs as root); returns undefined elsewhere so the caller can skip visibly.
 */
export function mountTmpfs(options: {
  sizeKb: number;
  readOnly?: boolean;
}): { dir: string; cleanup: () => void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-tmpfs-'));
  try {
    execFileSync(
      'mount',
      ['-t', 'tmpfs', '-o', `size=${options.sizeKb}k${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir],
      { stdio: 'ignore' },
    );
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    cleanup: () => {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
