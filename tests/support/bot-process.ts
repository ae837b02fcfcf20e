import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './paths.js';
import { pollUntil } from './poll.js';

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** JSON log lines from stderr. */
  logs: () => Record<string, unknown>[];
  waitFor: (predicate: () => boolean, what: string, timeoutMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `bin/run.mjs <entry>` with a clean environment plus `env`, in `cwd` (default: the project). */
export function startBot(
  entry: 'main' | 'cli',
  args: string[],
  env: Record<string, string>,
  cwd = projectRoot,
): BotProcess {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/run.mjs'), entry, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      err
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    waitFor: (predicate, what, timeoutMs = 20_000) =>
      pollUntil(predicate, what, { timeoutMs, everyMs: 50, detail: () => `\nstdout:\n${out}\nstderr:\n${err}` }),
  };
}

/** Run to completion, feeding `input` on stdin. */
export async function runBot(
  entry: 'main' | 'cli',
  args: string[],
  env: Record<string, string>,
  input = '',
  cwd = projectRoot,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bot = startBot(entry, args, env, cwd);
  bot.child.stdin.end(input);
  const { code } = await bot.exited;
  return { code, stdout: bot.stdout(), stderr: bot.stderr() };
}
