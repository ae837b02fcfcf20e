import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version in package.json (it names us in the feed fetcher's User-Agent). */
export function newsdeskVersion(): string {
  if (cached) return cached;
  for (const path of ['../package.json', '../../package.json']) {
    try {
      cached = (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;
      return cached;
    } catch {
      // dist/src/ is one level deeper than src/.
    }
  }
  return (cached = '0.0.0');
}
