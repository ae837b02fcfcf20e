import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(projectRoot, '../shared');
export const summarizationDir = path.join(sharedDir, 'corpus', 'summarization');

/** True when the shared corpus is absent; the caller skips its suite and says so. */
export function corpusMissing(file: string, suite: string): boolean {
  const missing = !existsSync(path.join(summarizationDir, file));
  if (missing) console.warn(`[skip] ${suite}: ${path.join(summarizationDir, file)} not found (../shared is absent)`);
  return missing;
}
