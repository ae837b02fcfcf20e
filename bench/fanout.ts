/**
 * `npm run bench:fanout`: one new article to N Discord channels and N Slack channels (default
 * 1,000 each), delivered by the real bot process (bin/run.mjs main, the shipped wiring: config →
 * limiters → dispatcher → discord.js / Bolt) against fakes on 127.0.0.1 that enforce the real
 * limits and answer 429 past them:
 *   Discord: 50 requests/s global per bot (sliding window over arrival times) + 5 messages per
 *            5 s per channel (X-RateLimit-* bucket);
 *   Slack:   1 chat.postMessage per second per channel, and SLACK_WORKSPACE_RATE per second across
 *            the workspace (sliding windows).
 * Both fakes answer after a latency (fixed ± 50% by default), counted on arrival, as the independent
 * harness does; the run is repeated at each latency. Time is not scaled (scale 1): discord.js keeps
 * its own per-second global limiter, which a shrunken window could not be matched against.
 * Fractions are the harness's: posts ÷ (first→last + 1 s) ÷ limit. Prints JSON lines per latency:
 * one per platform, then a summary.
 *
 * Flags: --channels N (per platform, default 500), --latency-ms 0,100,250 (the default),
 * --jitter F (default 0.5), --slack-workspace-rate N (SLACK_WORKSPACE_RATE; default the shipped
 * default, 20), --timeout-s N.
 *
 * With --replicas 1,2,3 it runs the PostgreSQL mode instead (bench/fanout-replicas.ts): that many
 * replicas share one database and the Discord limit; one JSON line per replica count.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { startBot } from '../tests/support/bot-process.js';
import { tempDir } from '../tests/support/paths.js';
import { botEnv, discordTally, dropArticle, slackTally, startFakes, until } from '../tests/delivery/support/fakes.js';
import { benchReplicas } from './fanout-replicas.js';
import { messageCount } from '../tests/scale/support.js';

const DISCORD_GLOBAL = { limit: 50, windowMs: 1_000 };
const DISCORD_CHANNEL_BUCKET = { limit: 5, windowMs: 5_000 };
const SLACK_PER_CHANNEL = { perChannel: 1, windowMs: 1_000 };

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The most requests that arrived within any `windowMs`, and the inter-arrival gaps (ms) at p50/p99/max. */
function arrivalShape(times: number[], windowMs: number) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= windowMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  const gaps = sorted
    .slice(1)
    .map((t, i) => t - sorted[i]!)
    .sort((a, b) => a - b);
  const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0;
  return { mostInAnyWindow: most, gapMs: { p50: at(0.5), p99: at(0.99), max: at(1) } };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The harness's measure: posts ÷ (first→last + 1 s), per second. */
const harnessRate = (times: number[]) => times.length / ((Math.max(...times) - Math.min(...times) + 1_000) / 1000);

function listFlag(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const values = String(process.argv[index + 1] ?? '')
    .split(',')
    .map(Number);
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value < 0))
    throw new Error(`--${name} takes numbers like 0,100,250`);
  return values;
}

function jitterFlag(): number {
  const index = process.argv.indexOf('--jitter');
  const value = index >= 0 ? Number(process.argv[index + 1]) : 0.5;
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error('--jitter must be between 0 and 1');
  return value;
}

/** The most posts any one channel got within any `windowMs` (1 = Slack's limit held). */
function channelWindows(answers: { channel: string; at: number }[], windowMs: number): number[] {
  const byChannel = new Map<string, number[]>();
  for (const answer of answers) byChannel.set(answer.channel, [...(byChannel.get(answer.channel) ?? []), answer.at]);
  return [0, ...[...byChannel.values()].map((times) => arrivalShape(times, windowMs).mostInAnyWindow)];
}

/** Short numeric Discord ids and short Slack ids, so 10,000 of them still fit in one environment variable. */
function ids(count: number) {
  return {
    discord: Array.from({ length: count }, (_, i) => String(1_000_000_000 + i)),
    slack: Array.from({ length: count }, (_, i) => `C${i.toString(36).toUpperCase().padStart(4, '0')}`),
  };
}

async function main(latencyMs: number): Promise<void> {
  const channels = flag('channels', 500);
  const latency = { ms: latencyMs, jitter: jitterFlag() };
  const slackWorkspaceRate = flag('slack-workspace-rate', 20);
  const timeoutMs = flag('timeout-s', Math.ceil(channels / 50 + channels / slackWorkspaceRate) + 120) * 1000;
  const { dir, cleanup } = tempDir('newsdesk-bench-fanout-');
  const fakes = await startFakes({
    discord: { globalLimit: DISCORD_GLOBAL, bucket: DISCORD_CHANNEL_BUCKET, latency },
    // The fake enforces the workspace rate the bot is configured with, as Slack enforces its own.
    slack: { postLimit: SLACK_PER_CHANNEL, workspaceLimit: { limit: slackWorkspaceRate, windowMs: 1_000 }, latency },
  });
  const list = ids(channels);
  const env = botEnv(fakes, dir, list, { LOG_LEVEL: 'warn', SLACK_WORKSPACE_RATE: String(slackWorkspaceRate) });
  const bot = startBot('main', [], env);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(bot.child.pid ?? 0) ?? 0)), 100);
  try {
    const bootStart = Date.now();
    // At LOG_LEVEL=warn there is no "ready" line: the bot is up once its configured channels are subscribed and Discord logged in.
    await until(
      () =>
        fakes.discord.requests.some((request) => request.path === '/gateway/bot') &&
        fakes.slack.callsTo('auth.test').length > 0,
      'the bot to start',
      60_000,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const rssIdle = rssMb(bot.child.pid ?? 0);
    const startupMs = Date.now() - bootStart;
    const requestsBefore = fakes.discord.requests.length;

    // The fakes run in this process: a stall here bunches arrivals the bot sent spaced (a 429 that is the fake's, not the bot's).
    const fakeLoop = monitorEventLoopDelay({ resolution: 10 });
    fakeLoop.enable();
    // Counted as they come (a full tally every poll would stall the fakes that share this process).
    let slackSeen = 0;
    let slackOkCount = 0;
    const slackOk = () => {
      const answers = fakes.slack.postAnswers;
      for (; slackSeen < answers.length; slackSeen += 1) if (answers[slackSeen]!.ok) slackOkCount += 1;
      return slackOkCount;
    };
    const dropped = Date.now();
    dropArticle(join(dir, 'articles'), 1);
    await until(
      () => messageCount(fakes.discord) >= channels && slackOk() >= channels,
      'every channel to be posted to',
      timeoutMs,
      50,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // late duplicates would show here

    const discordPosts = fakes.discord.requests
      .slice(requestsBefore)
      .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
    const discordOk = discordPosts.filter((r) => r.status === 200).map((r) => r.at);
    const discordAll = fakes.discord.requests.slice(requestsBefore);
    const d429 = discordAll.filter((r) => r.status === 429);
    const dFirst = Math.min(...discordOk);
    const dLast = Math.max(...discordOk);
    const discordRate = harnessRate(discordOk);
    const warmupEnd = dFirst + DISCORD_GLOBAL.windowMs;
    const dTally = discordTally(fakes.discord);
    const discordLine = {
      bench: 'fanout',
      platform: 'discord',
      channels,
      latency: `${latency.ms} ms ± ${latency.jitter * 100}%`,
      scale: 1,
      limits: {
        globalPerSecond: DISCORD_GLOBAL.limit,
        perChannel: `${DISCORD_CHANNEL_BUCKET.limit}/${DISCORD_CHANNEL_BUCKET.windowMs / 1000}s`,
        window: 'sliding, by arrival at the fake',
      },
      delivered: dTally.messages,
      achievedPerSecond: round(discordRate, 2),
      fractionOf50: round(discordRate / 50),
      target: 0.95,
      measure: 'posts ÷ (first→last + 1 s) ÷ 50, arrivals at the fake',
      total429: d429.length,
      steadyState429: d429.filter((r) => r.at >= warmupEnd).length,
      global429: fakes.discord.state.globalOverLimit,
      perChannel429: fakes.discord.state.overLimit,
      duplicates: dTally.messages - dTally.posted.size,
      resendsDroppedByNonce: dTally.accepted - dTally.distinctNonces,
      arrivals: arrivalShape(
        discordAll.filter((r) => r.status !== 429).map((r) => r.at),
        DISCORD_GLOBAL.windowMs,
      ),
      firstPostAfterDropMs: dFirst - dropped,
      lastDeliveryAfterDropMs: dLast - dropped,
    };

    const sAnswers = fakes.slack.postAnswers;
    const sOk = sAnswers.filter((a) => a.ok).map((a) => a.at);
    const sFirst = Math.min(...sOk);
    const sLast = Math.max(...sOk);
    const slackRate = harnessRate(sOk);
    const sTally = slackTally(fakes.slack);
    const s429 = sAnswers.filter((a) => a.status === 429);
    const slackLine = {
      bench: 'fanout',
      platform: 'slack',
      channels,
      latency: `${latency.ms} ms ± ${latency.jitter * 100}%`,
      scale: 1,
      limits: { perChannel: '1/s', workspaceCap: slackWorkspaceRate, window: 'sliding, by arrival at the fake' },
      delivered: sTally.messages,
      achievedPerSecond: round(slackRate, 2),
      fractionOfWorkspaceCap: round(slackRate / slackWorkspaceRate),
      total429: s429.length,
      steadyState429: s429.filter((a) => a.at >= sFirst + 1_000).length,
      workspace429: fakes.slack.workspaceOverLimit,
      perChannel429: fakes.slack.overLimit,
      workspaceMostInAnyWindow: arrivalShape(sOk, 1_000).mostInAnyWindow,
      duplicates: sTally.messages - sTally.posted.size,
      perChannelMostInAnyWindow: Math.max(
        ...channelWindows(
          sAnswers.filter((a) => a.ok),
          SLACK_PER_CHANNEL.windowMs,
        ),
      ),
      firstPostAfterDropMs: sFirst - dropped,
      // Both tracks start from the same tick: Slack's lead or lag behind Discord's first post.
      firstPostAfterDiscordFirstMs: sFirst - dFirst,
      startedBeforeDiscordFinished: sFirst < dLast,
      lastDeliveryAfterDropMs: sLast - dropped,
    };
    const summary = {
      bench: 'fanout',
      platform: 'both',
      channels: channels * 2,
      latency: `${latency.ms} ms ± ${latency.jitter * 100}%`,
      loadAverage: loadavg().map((value) => round(value, 2)),
      fakesEventLoopDelayMs: { p99: round(fakeLoop.percentile(99) / 1e6, 1), max: round(fakeLoop.max / 1e6, 1) },
      timeToLastDeliveryMs: Math.max(dLast, sLast) - dropped,
      startupMs,
      rssMb: { idle: rssIdle, peak: peakRss, end: rssMb(bot.child.pid ?? 0) },
      extrapolated10k: {
        discordSeconds: round(10_000 / discordRate, 1),
        slackSeconds: round(10_000 / slackRate, 1),
        note: 'linear in channels: both platforms are rate-bound, not CPU-bound, at these sizes',
      },
      driver: 'bot process (bin/run.mjs main), POST_SCHEDULE */1 s, one article file dropped into ARTICLES_DIR',
    };
    for (const line of [discordLine, slackLine, summary]) console.log(JSON.stringify(line));
  } finally {
    clearInterval(sampler);
    bot.child.kill('SIGTERM');
    await Promise.race([bot.exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await fakes.close();
    cleanup();
  }
}

const replicasAt = process.argv.indexOf('--replicas');
if (replicasAt >= 0) {
  const counts = String(process.argv[replicasAt + 1] ?? '')
    .split(',')
    .map(Number);
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--replicas takes counts like 1,2,3');
  const channels = flag('channels', 500);
  const latencyMs = listFlag('latency-ms', [100])[0] ?? 100;
  // Slack takes the longest: the channels at its workspace cap of 20 a second.
  await benchReplicas(counts, channels, flag('timeout-s', Math.ceil(channels / 40 + channels / 20) + 60) * 1000, {
    ms: latencyMs,
    jitter: jitterFlag(),
  });
} else {
  for (const latencyMs of listFlag('latency-ms', [0, 100, 250])) await main(latencyMs);
}
