import { parseArgs } from 'node:util';
import { commands } from '../../commands/index.js';
import { buildSlackManifest } from '../platforms/slack/manifest.js';

/**
 * `npm run slack:manifest -- --url https://news.example.com` (HTTP mode) or
 * `npm run slack:manifest -- --socket` (Socket Mode): prints the app manifest as JSON, to paste
 * into https://api.slack.com/apps → Create New App → From a manifest.
 */
function main(argv: string[]): number {
  let values: { url?: string; socket?: boolean; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        socket: { type: 'boolean', default: false },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`slack:manifest: ${(err as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write('usage: npm run slack:manifest -- (--url https://your.host | --socket) [--name newsdesk]\n');
    return 0;
  }
  try {
    const manifest = buildSlackManifest({
      commands,
      socketMode: values.socket ?? false,
      ...(values.url ? { baseUrl: values.url } : {}),
      ...(values.name ? { name: values.name } : {}),
    });
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`slack:manifest: ${(err as Error).message}. Try --url https://your.host or --socket.\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
