import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';

/**
 * The layers of docs/architecture.md, lowest first. A folder may import its own layer or lower
 * ones, never a higher one, and no two folders may import each other.
 */
const LAYERS: string[][] = [
  ['base'],
  ['domain'],
  ['store', 'summarize', 'ingest'],
  ['commands'],
  ['delivery', 'platforms', 'http'],
  ['app'],
];

/** Files at the top of src/ that import nothing of the project, so every layer may use them. */
const BASE_FILES = ['src/logger.ts', 'src/log-lines.ts', 'src/version.ts', 'src/config-fields.ts'];

/** Folder cycles tolerated for now, as "a ⇄ b". None are left; one added here needs a reason. */
const KNOWN_PENDING: string[] = [];

function folderOf(file: string): string {
  if (BASE_FILES.includes(file)) return 'base';
  if (file.startsWith('commands/')) return 'commands';
  const [top, second] = file.split('/');
  if (top !== 'src') throw new Error(`not a source file: ${file}`);
  if (second && LAYERS.flat().includes(second) && second !== 'base' && second !== 'app') return second;
  // src/app.ts, src/config.ts, src/wiring/, src/entry/: the wiring.
  return 'app';
}

const rank = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));
}

/** Every relative import and re-export of a file, type-only ones included: they couple folders too. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)];
  return specifiers.map((match) =>
    relative(projectRoot, resolve(dirname(join(projectRoot, file)), match[1]!)).replace(/\.js$/, '.ts'),
  );
}

function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of [...sourceFiles('src'), ...sourceFiles('commands')]) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      if (!target.startsWith('src/') && !target.startsWith('commands/')) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const set = edges.get(from) ?? new Set<string>();
      set.add(`${to}\t${file} → ${target}`);
      edges.set(from, set);
    }
  }
  return edges;
}

describe('the import graph (docs/architecture.md)', () => {
  const edges = folderEdges();
  const pairs = new Map<string, string>();
  for (const [from, targets] of edges) {
    for (const entry of targets) {
      const [to, where] = entry.split('\t') as [string, string];
      if (!pairs.has(`${from} -> ${to}`)) pairs.set(`${from} -> ${to}`, where);
    }
  }

  it('sees the folders it expects (so a rename cannot make it pass vacuously)', () => {
    const seen = new Set([...pairs.keys()].flatMap((pair) => pair.split(' -> ')));
    for (const folder of ['domain', 'store', 'ingest', 'summarize', 'commands', 'delivery', 'platforms', 'app']) {
      expect(seen).toContain(folder);
    }
  });

  it('no folder imports a higher layer', () => {
    const upward = [...pairs]
      .filter(([pair]) => {
        const [from, to] = pair.split(' -> ') as [string, string];
        return rank(to) > rank(from);
      })
      .map(([pair, where]) => `${pair} (${where})`);
    expect(upward).toEqual([]);
  });

  it('no two folders import each other', () => {
    const mutual = [...pairs.keys()].filter((pair) => {
      const [from, to] = pair.split(' -> ') as [string, string];
      return pairs.has(`${to} -> ${from}`) && !KNOWN_PENDING.includes(pair);
    });
    // Each cycle shows from both sides unless one side is a known pending exception.
    const reported = mutual.filter((pair) => !KNOWN_PENDING.includes(pair.split(' -> ').reverse().join(' -> ')));
    expect(reported.map((pair) => `${pair} (${pairs.get(pair)})`)).toEqual([]);
  });

  it('the pending exceptions still exist (delete them once fixed)', () => {
    for (const pair of KNOWN_PENDING)
      expect(pairs.has(pair), `${pair} is gone: remove it from KNOWN_PENDING`).toBe(true);
  });
});
