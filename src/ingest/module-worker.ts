import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` (without extension) beside `from` (an `import.meta.url`).
 * Compiled code is loaded directly. Under tsx (a clone, tests, benchmarks) the worker first registers
 * tsx, resolved from this project: an eval'd worker resolves bare names from the working folder, so
 * `import('tsx/esm/api')` failed whenever the bot was started from another folder.
 */
export function startModuleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  const source = new URL(from);
  const fromTypeScript = source.pathname.endsWith('.ts');
  const entry = new URL(`./${name}.${fromTypeScript ? 'ts' : 'js'}`, source);
  if (!fromTypeScript) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
