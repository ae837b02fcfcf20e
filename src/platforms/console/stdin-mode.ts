import { fstatSync } from 'node:fs';

/**
 * How to treat standard input: a terminal gets a prompt, a pipe or file is answered line by line
 * until it ends, and anything else (/dev/null in a container, a closed stdin) is not read at all,
 * so a bot without a terminal keeps running instead of stopping at an empty input.
 */
export function stdinMode(stdin: { isTTY?: boolean; fd?: number } = process.stdin): 'tty' | 'pipe' | 'none' {
  if (stdin.isTTY) return 'tty';
  try {
    const info = fstatSync(0);
    return info.isFIFO() || info.isFile() || info.isSocket() ? 'pipe' : 'none';
  } catch {
    return 'none';
  }
}
