import { readFile, stat } from 'node:fs/promises';
import { usage } from '../../commands/help.js';
import { commands, findCommand } from '../../commands/index.js';
import { type App, createApp } from '../app.js';
import { type Config, configSecrets } from '../config.js';
import { createLogger } from '../logger.js';
import { answerLine, CONSOLE_CHANNEL } from '../platforms/console/answer.js';
import { parseCommandText } from '../../commands/parse-text.js';
import { OPERATOR_SPACE, parseSpaceId } from '../domain/space.js';
import { OPML_MAX_BYTES } from '../ingest/opml/parse-opml.js';
import { renderText } from '../platforms/console/render.js';
import { openStores } from '../wiring/stores.js';
import { describeError, fail, readConfig } from './startup.js';
import { runSummarizeLines } from './summarize-lines.js';
import { runExtractCliOnStdio } from '../ingest/fulltext/extract-cli.js';

const CLI_USER = { platform: 'console', id: 'cli', canManage: true } as const;
const FEED_URL = /^https?:\/\//i;

function usageText(): string {
  const lines = [
    'usage: news <command> [arguments]',
    ...commands.map((command) => `  ${usage(command).replace(/^\/news /, 'news ')}`),
    '  news feeds import <file.opml> [--space <id>]   news feeds export [--space <id>]',
    '  news ingest <file-or-folder-or-feed-url>',
    '  news summarize [--sentences N] < articles.jsonl',
    '  news extract < pages.jsonl   ({"id","url","html"} lines in, {"id","title","byline","published","text","basis"} out)',
    '  news --help',
  ];
  return `${lines.join('\n')}\n`;
}

type Outcome = { code: number; stdout?: string; stderr?: string };

const bad = (message: string): Outcome => ({ code: 1, stderr: `newsdesk: ${message}\n${usageText()}` });

/** What the arguments ask for, before anything is opened: a mistake is caught without touching the store. */
function check(argv: string[]): Outcome | undefined {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return { code: 0, stdout: usageText() };
  if (sub === 'summarize') {
    const extra = rest.filter((arg, index) => arg !== '--sentences' && rest[index - 1] !== '--sentences');
    if (extra.length > 0) return bad(`unknown option ${extra[0]} for summarize`);
    return undefined;
  }
  if (sub === 'extract') return rest.length > 0 ? bad(`unknown option ${rest[0]} for extract`) : undefined;
  if (sub.startsWith('-')) return bad(`unknown option ${sub}`);
  if (sub === 'ingest') return rest.join(' ').trim() ? undefined : bad('ingest needs a file, folder or feed URL');
  // `--space <id>` goes with any command; it is checked when the store is opened.
  const option = rest.find((arg, index) => /^--[a-z]/i.test(arg) && arg !== '--space' && rest[index - 1] !== '--space');
  if (option) return bad(`unknown option ${option}`);
  const two = `${sub} ${rest[0] ?? ''}`.trim().toLowerCase();
  if (findCommand(two) || findCommand(sub)) return undefined;
  const group = commands.filter((command) => command.name.startsWith(`${sub.toLowerCase()} `));
  if (group.length > 0) {
    const subs = group.map((command) => command.name.split(' ')[1]).join(', ');
    return bad(`${sub} needs a subcommand: ${subs}`);
  }
  return bad(`unknown command "${sub}"`);
}

async function summarize(rest: string[]): Promise<Outcome> {
  const at = rest.indexOf('--sentences');
  const sentences = at >= 0 ? Number(rest[at + 1]) : 3;
  if (!Number.isInteger(sentences) || sentences < 1 || sentences > 20) {
    return { code: 1, stderr: 'newsdesk: --sentences must be a whole number from 1 to 20\n' };
  }
  await runSummarizeLines({ input: process.stdin, output: process.stdout, sentences });
  return { code: 0 };
}

/**
 * A feed no space links is visible to nobody, so `news ingest <feed-url>` links it to the operator
 * (the terminal is the operator), as FEED_URLS would. Returns the note that says so, or undefined.
 */
async function linkToOperator(app: App, url: string): Promise<string | undefined> {
  if ((await app.stores.feeds.links(url)).length > 0) return undefined;
  const { feed } = await app.stores.feeds.add(url, { now: new Date().toISOString(), space: OPERATOR_SPACE });
  return (
    `newsdesk: ${url} was linked to no space, so nobody could see its articles; it is now the operator's ` +
    `feed (id ${feed.id}): the terminal and every space see it, and the bot polls it. ` +
    `\`news feeds remove ${feed.id}\` undoes this.\n`
  );
}

/** The commands that need the store: through the same wiring as the bot, in its one-shot mode. */
async function withApp(config: Config, full: string[]): Promise<Outcome> {
  // `--space <id>`: the operator acts for one guild or workspace (its feeds, its view).
  const at = full.indexOf('--space');
  let space: string | undefined;
  try {
    space = at >= 0 ? parseSpaceId(full[at + 1] ?? '') : undefined;
  } catch (err) {
    return { code: 1, stderr: `newsdesk: ${(err as Error).message}\n` };
  }
  const argv = at >= 0 ? [...full.slice(0, at), ...full.slice(at + 2)] : full;
  const [sub = 'help', ...rest] = argv;
  let document: string | undefined;
  const file = rest.slice(1).join(' ').trim();
  if (sub === 'feeds' && rest[0] === 'import' && file && !FEED_URL.test(file) && !file.includes('=')) {
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) return { code: 1, stderr: `newsdesk: ${file}: no such file\n` };
    if (found.size > OPML_MAX_BYTES)
      return { code: 1, stderr: `newsdesk: ${file}: larger than ${OPML_MAX_BYTES} bytes\n` };
    document = await readFile(file, 'utf8');
  }
  const target = rest.join(' ').trim();
  if (sub === 'ingest' && !FEED_URL.test(target)) {
    const found = await stat(target).catch(() => undefined);
    if (!found) return { code: 1, stderr: `newsdesk: ${target}: no such file or folder\n` };
  }
  // Routine progress is noise for a one-shot command; warnings still show.
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  const log = createLogger({ level, pretty: Boolean(process.stderr.isTTY), secrets: configSecrets(config) });
  const app = await createApp({ config, log, stores: await openStores(config, log), mode: 'once' });
  try {
    await app.prepare();
    if (sub === 'ingest') {
      if (FEED_URL.test(target)) {
        // The one-shot app waits for every teaser's page, so the counts are final when the poll returns.
        const before = app.fullText.counts();
        const polled = await app.poller.pollOnce(target);
        const after = app.fullText.counts();
        const pages = {
          fetched: after.fetched - before.fetched,
          failed: after.failed - before.failed,
          paywalled: after.paywalled - before.paywalled,
        };
        const ok = polled.status === 'ok' || polled.status === 'not_modified';
        const linked = ok ? await linkToOperator(app, target) : undefined;
        return {
          code: ok ? 0 : 1,
          stdout: `${JSON.stringify({ ...polled, ...pages, ...(linked ? { linked: OPERATOR_SPACE } : {}) })}\n`,
          ...(linked ? { stderr: linked } : {}),
        };
      }
      const { new: added, updated, unchanged, rejected } = await app.ingester.ingestPath(target);
      return { code: 0, stdout: `${JSON.stringify({ new: added, updated, unchanged, rejected })}\n` };
    }
    // Read commands see what is in the articles folder now, as the running bot would.
    await app.ingester.ingestPath(config.articlesDir);
    const line = argv.join(' ');
    const parsed = parseCommandText(document ? 'feeds import' : line, commands);
    const reply =
      space !== undefined || document !== undefined
        ? await app.execute({
            command: 'news',
            sub: parsed.sub,
            args: document ? { document } : parsed.args,
            user: CLI_USER,
            channel: CONSOLE_CHANNEL,
            ...(space ? { space } : {}),
          })
        : (await answerLine(app.execute, line, CLI_USER)).reply;
    if (reply.kind === 'text' && reply.tone === 'error') return { code: 1, stderr: `newsdesk: ${reply.text}\n` };
    return { code: 0, stdout: `${renderText(reply)}\n` };
  } finally {
    await app.stop('one-shot command done');
  }
}

/**
 * One-shot commands: `news latest`, `news summary <id>`, `news ingest <path>`, `news summarize`, `news extract`.
 * Replies go to stdout; an error is one line on stderr (with the usage for a bad command) and exit code 1.
 */
async function main(argv: string[]): Promise<number> {
  const checked = check(argv);
  let outcome = checked;
  if (!outcome) {
    const read = readConfig();
    if ('error' in read) outcome = { code: 1, stderr: `newsdesk: ${read.error}\n` };
    else if (argv[0] === 'summarize') outcome = await summarize(argv.slice(1));
    else if (argv[0] === 'extract') outcome = { code: await runExtractCliOnStdio() };
    else {
      const { config } = read;
      outcome = await withApp(config, argv).catch((err: unknown) => ({
        code: 1,
        stderr: `newsdesk: ${describeError(err, config.logLevel)}\n`,
      }));
    }
  }
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  return outcome.code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    fail(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
