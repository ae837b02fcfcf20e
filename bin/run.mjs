#!/usr/bin/env node
// Runs an entry point from the TypeScript sources when they and tsx are present (a clone),
// and from the compiled dist/ otherwise (the container image, which ships neither).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every entry point lives in src/entry/; a path (a benchmark) runs as it is.
const entries = {
  main: 'src/entry/main.ts',
  cli: 'src/entry/cli.ts',
  'slack-manifest': 'src/entry/slack-manifest.ts',
  'discord-commands': 'src/entry/discord-commands.ts',
};
const [target = 'main'] = process.argv.splice(2, 1);
const source = entries[target] ?? target;

async function hasTsx() {
  try {
    await import('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

if (existsSync(join(root, source)) && (await hasTsx())) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, source)).href);
} else {
  const compiled = join(root, 'dist', source.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) {
    process.stderr.write(`newsdesk: ${source} is not built; run "npm run build" first\n`);
    process.exit(1);
  }
  await import(pathToFileURL(compiled).href);
}
