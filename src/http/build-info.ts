import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildInfo {
  version: string;
  commit: string;
  node: string;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which build is running, for `newsdesk_build_info`. The version is package.json's; the commit is
 * whatever the image build wrote to build-info.json (`--build-arg COMMIT=…`), never a git call at
 * run time: the container has no git and no .git.
 */
export function readBuildInfo(appRoot: string): BuildInfo {
  const pkg = readJson(join(appRoot, 'package.json'));
  const built = readJson(join(appRoot, 'build-info.json'));
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : 'unknown');
  return { version: text(pkg?.version), commit: text(built?.commit), node: process.version };
}
