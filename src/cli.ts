import { commands } from '../commands/index.js';
import { parseCommandText } from '../commands/parse-text.js';
import { ConfigError, configSecrets, loadConfig, processEnv, type Config } from './config.js';
import { createLogger } from './logger.js';
import { renderText } from './platforms/console/render.js';
import { createRuntime } from './runtime.js';
import { runSummarizeCli } from './summarize/summarize-cli.js';

/**
 * One-shot commands: `news latest`, `news summary <id>`, `news ingest <path>`, `news summarize`.
 * Replies go to stdout; an error is one line on stderr and exit code 1.
 */
async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(processEnv());
  } catch (err) {
    process.stderr.write(`newsdesk: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    return 1;
  }
  const [sub = 'help', ...rest] = argv;

  if (sub === 'summarize') {
    const at = rest.indexOf('--sentences');
    const sentences = at >= 0 ? Number(rest[at + 1]) : 3;
    if (!Number.isInteger(sentences) || sentences < 1 || sentences > 20) {
      process.stderr.write('newsdesk: --sentences must be a whole number from 1 to 20\n');
      return 1;
    }
    await runSummarizeCli({ input: process.stdin, output: process.stdout, sentences });
    return 0;
  }

  // Routine progress is noise for a one-shot command; warnings still show.
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  const log = createLogger({ level, pretty: Boolean(process.stderr.isTTY), secrets: configSecrets(config) });
  const runtime = await createRuntime(config, log);
  try {
    if (sub === 'ingest') {
      const target = rest.join(' ').trim();
      if (!target) {
        process.stderr.write('newsdesk: usage: news ingest <file-or-folder-or-feed-url>\n');
        return 1;
      }
      if (/^https?:\/\//i.test(target)) {
        const polled = await runtime.poller.pollOnce(target);
        process.stdout.write(`${JSON.stringify(polled)}\n`);
        return polled.status === 'ok' || polled.status === 'not_modified' ? 0 : 1;
      }
      const counts = await runtime.ingester.ingestPath(target);
      process.stdout.write(`${JSON.stringify({ new: counts.new, updated: counts.updated, unchanged: counts.unchanged, rejected: counts.rejected })}\n`);
      return 0;
    }
    // Read commands see what is in the articles folder now, as the running bot would.
    await runtime.ingester.ingestPath(config.articlesDir);
    const { sub: name, args } = parseCommandText([sub, ...rest].join(' '), commands);
    const reply = await runtime.execute({ command: 'news', sub: name, args, user: { platform: 'console', id: 'cli', canManage: true }, channel: 'console:main' });
    if (reply.kind === 'text' && reply.tone === 'error') {
      process.stderr.write(`newsdesk: ${reply.text}\n`);
      return 1;
    }
    process.stdout.write(`${renderText(reply)}\n`);
    return name === sub || name === `${sub} ${rest[0] ?? ''}`.trim() ? 0 : 1;
  } finally {
    await runtime.stores.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`newsdesk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
