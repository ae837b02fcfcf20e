/**
 * The worst event-loop stall while the real runtime (SQLite store, file ingester, feed poller on
 * a loopback server) ingests each hostile document and answers latest/summary/sources for it,
 * rendered for Discord, Slack and the terminal. Target: no stall above 100 ms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import type { Reply } from '../src/domain/reply.js';
import { parseFilter } from '../src/domain/subscription.js';
import { renderText } from '../src/platforms/console/render.js';
import { renderDiscord } from '../src/platforms/discord/render.js';
import { renderSlack } from '../src/platforms/slack/render.js';
import { createApp } from '../src/app.js';
import { openStores } from '../src/wiring/stores.js';
import { HOSTILE_CORPUS } from '../tests/hostile/corpus.js';
import { rssFeed, startFeedServer } from '../tests/fakes/feed-server.js';

type Print = (figure: Record<string, unknown>) => void;

const render = (reply: Reply) => {
  renderDiscord(reply);
  renderSlack(reply);
  renderText(reply);
};

export async function benchHostile(print: Print, options: { owners?: string[] } = {}): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'newsdesk-bench-hostile-'));
  const articles = join(root, 'articles');
  mkdirSync(articles);
  const feeds = await startFeedServer();
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(root, 'hostile.db')}`,
    ARTICLES_DIR: articles,
    FEED_ALLOW_PRIVATE: 'true',
  });
  const log = pino({ level: 'silent' });
  const runtime = await createApp({ config, log, stores: await openStores(config, log), mode: 'once' });
  await runtime.prepare();
  // Every new file article is fanned out through the filter that backtracks exponentially in V8.
  await runtime.stores.subscriptions.putSubscription({
    channel: 'console:main',
    filter: parseFilter('/(\\w+\\s?)+$/'),
    digest: 0,
    paused: false,
    origin: 'command',
    createdAt: new Date().toISOString(),
  });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const user = { platform: 'console' as const, id: 'bench', canManage: true };
  const ask = async (sub: string, args: Record<string, string> = {}) => {
    const reply = await runtime.execute({ command: 'news', sub, args, user, channel: 'console:main' });
    render(reply);
    return reply;
  };
  let worst = { ms: 0, name: '' };
  try {
    // One ordinary feed first: the first poll and render pay for compiling code, not for the input.
    feeds.serve('/warm-up.xml', rssFeed({ count: 3 }));
    await runtime.poller.pollOnce(feeds.url('/warm-up.xml'));
    await ask('latest', { count: '3' });
    for (const [index, entry] of HOSTILE_CORPUS.entries()) {
      if (options.owners && !options.owners.includes(entry.owner)) continue;
      // Let the histogram see an idle loop first, so each figure is this case's alone.
      await new Promise((resolve) => setTimeout(resolve, 50));
      histogram.reset();
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      let outcome: string;
      if (entry.kind === 'file') {
        const path = join(articles, `${index}-${entry.file}`);
        writeFileSync(path, entry.bytes());
        const counts = await runtime.ingester.ingestPath(path);
        outcome = counts.rejected[0]?.reason ?? `new ${counts.new}`;
      } else {
        feeds.serve(`/${index}.xml`, entry.bytes());
        const result = await runtime.poller.pollOnce(feeds.url(`/${index}.xml`));
        outcome = JSON.stringify(result).slice(0, 120);
      }
      const latest = await ask('latest', { count: '3' });
      for (const card of latest.kind === 'articles' ? latest.cards.slice(0, 1) : []) {
        await ask('summary', { id: card.id });
        await ask('sources', { id: card.id });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      const cpu = process.cpuUsage(cpuStart);
      const stall = histogram.max / 1e6;
      if (stall > worst.ms) worst = { ms: stall, name: entry.name };
      print({
        figure: 'hostile_case_stall',
        case: entry.name,
        owner: entry.owner,
        stall_ms: Math.round(stall),
        // CPU time of the whole case (this process, all threads): the stall minus what a loaded machine adds.
        cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
        wall_ms: Math.round(performance.now() - started),
        outcome,
      });
    }
    print({
      figure: 'hostile_worst_stall',
      worst_ms: Math.round(worst.ms),
      case: worst.name,
      target_ms: 100,
      owners: options.owners ?? 'all',
      load: loadavg()[0],
    });
  } finally {
    histogram.disable();
    // The whole app's stop: it also closes the feed parser's and the extractor's workers, which
    // otherwise keep the benchmark process alive after its last line.
    await runtime.stop('benchmark done');
    await feeds.close();
    rmSync(root, { recursive: true, force: true });
  }
}
