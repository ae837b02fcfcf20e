/**
 * `node bin/run.mjs bench/threads.ts`: what a forum post and a thread=on post cost next to a plain
 * post, through the real adapter (discord.js) and dispatcher against the fake Discord at each latency.
 * Per round, one new article goes to N channels of each kind (plain text, text with thread=on,
 * forum); the time of each kind's delivery pass and the requests it made are recorded. Prints one
 * JSON line per latency: medians over the rounds (the first round includes learning that a forum is one), and each kind's time as a ratio to plain in the
 * same round (ratios first, since the machine may be busy). Flags: --channels N (default 20),
 * --rounds N (default 3), --latency-ms 0,100,250.
 */
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { createDispatcher } from '../src/delivery/dispatcher.js';
import type { ChannelId } from '../src/domain/channel.js';
import { emptyFilter } from '../src/domain/subscription.js';
import { startHarness } from '../tests/discord/harness.js';
import { makeInput } from '../tests/support/articles.js';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const KINDS = ['plain', 'thread', 'forum'] as const;

async function run(latencyMs: number, perKind: number, rounds: number): Promise<Record<string, unknown>> {
  const h = await startHarness({ latency: { ms: latencyMs }, bucket: { limit: 5, windowMs: 5_000 } });
  try {
    const channels: Record<(typeof KINDS)[number], ChannelId[]> = { plain: [], thread: [], forum: [] };
    for (const [k, kind] of KINDS.entries()) {
      for (let i = 0; i < perKind; i += 1) {
        const id = String(1_700_000_000_000_000_000n + BigInt(k * 10_000 + i));
        if (kind === 'forum') h.fake.addForum(id, ['News']);
        channels[kind].push(`discord:${id}`);
        await h.stores.subscriptions.putSubscription({
          channel: `discord:${id}`,
          filter: emptyFilter(),
          digest: 0,
          paused: false,
          origin: 'command',
          createdAt: new Date().toISOString(),
          ...(kind === 'thread' ? { presentation: { thread: true } } : {}),
        });
      }
    }
    const dispatcher = createDispatcher({
      stores: h.stores,
      adapters: { discord: h.adapter },
      log: pino({ level: 'silent' }),
      perChannelPerTick: 5,
    });
    const times: Record<string, number[]> = { plain: [], thread: [], forum: [] };
    const requests: Record<string, number[]> = { plain: [], thread: [], forum: [] };
    const ratios: Record<string, number[]> = { thread: [], forum: [] };
    for (let round = 0; round < rounds; round += 1) {
      const { article } = await h.stores.articles.upsert(makeInput({ title: `Bench story ${round}: tides` }));
      for (const kind of KINDS) await h.stores.deliveries.enqueue(article.id, channels[kind]);
      for (const kind of KINDS) {
        // discord.js's own 50 requests/s window empties between kinds, so no kind pays for another's requests.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const before = h.fake.requests.length;
        const started = performance.now();
        const result = await dispatcher.tick({ channels: channels[kind] });
        times[kind]!.push(performance.now() - started);
        requests[kind]!.push((h.fake.requests.length - before) / perKind);
        if (result.sent !== perKind) throw new Error(`${kind}: sent ${result.sent} of ${perKind}`);
      }
      ratios.thread!.push(times.thread!.at(-1)! / times.plain!.at(-1)!);
      ratios.forum!.push(times.forum!.at(-1)! / times.plain!.at(-1)!);
    }
    return {
      bench: 'threads',
      latencyMs,
      channelsPerKind: perKind,
      rounds,
      medianMs: Object.fromEntries(KINDS.map((kind) => [kind, Math.round(median(times[kind]!))])),
      requestsPerPost: Object.fromEntries(KINDS.map((kind) => [kind, median(requests[kind]!)])),
      ratioToPlain: { thread: median(ratios.thread!).toFixed(2), forum: median(ratios.forum!).toFixed(2) },
      loadavg: loadavg().map((value) => value.toFixed(2)),
    };
  } finally {
    await h.close();
  }
}

const perKind = Number(flag('channels', '20'));
const rounds = Number(flag('rounds', '3'));
for (const latency of flag('latency-ms', '0,100,250').split(',').map(Number)) {
  console.log(JSON.stringify(await run(latency, perKind, rounds)));
}
