import { afterAll, describe, expect, it } from 'vitest';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { createFeedParser } from '../../src/ingest/feeds/feed-parser.js';
import type { PreparedFeed } from '../../src/ingest/feeds/prepare-feed.js';
import { HOSTILE_CASES } from './hostile/cases.js';

// The real path: a worker thread with a time budget. The budget is generous here; the quarantine
// test below uses a tight one.
const parser = createFeedParser({ budgetMs: 20_000 });
afterAll(() => parser.close());

/** CPU of the whole process (main thread and workers) and the longest gap the main loop saw. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; cpuMs: number; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const cpu = process.cpuUsage();
  try {
    return { value: await work(), ...finish() };
  } catch (error) {
    return { error, ...finish() };
  } finally {
    clearInterval(ticker);
  }
  function finish() {
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, stallMs: Math.max(stallMs, performance.now() - last) };
  }
}

describe('hostile feed documents through the worker parse path', () => {
  it('starts the worker', async () => {
    // Worker start-up (loader registration) is paid once, outside the per-case bounds.
    await expect(
      parser.prepare(Buffer.from(HOSTILE_CASES[0]!.build()), { url: 'https://hostile.example/feed' }),
    ).resolves.toBeDefined();
  }, 60_000);

  for (const hostile of HOSTILE_CASES) {
    it(`${hostile.name}: ${hostile.expect}${hostile.reason ? ` (${hostile.reason})` : ''}, within a CPU budget`, async () => {
      const bytes = Buffer.from(hostile.build(hostile.testScale));
      const run = await measured(() => parser.prepare(bytes, { url: 'https://hostile.example/feed' }));
      // Generous ceilings for a loaded 2-core machine; before the fixes these ran 1-20 s (or hours at 5 MB).
      expect(run.cpuMs, `${hostile.target}: CPU`).toBeLessThan(5_000);
      expect(run.stallMs, 'main loop stall while a worker parses').toBeLessThan(1_000);
      if (hostile.expect === 'rejected') {
        expect(isNewsdeskError(run.error, 'bad_input'), String(run.error)).toBe(true);
        const message = (run.error as Error).message;
        expect(message.length).toBeLessThan(300);
        if (hostile.reason) expect(message).toContain(hostile.reason);
        return;
      }
      expect(run.error).toBeUndefined();
      const feed = run.value as PreparedFeed;
      expect(feed.items.length + feed.rejected.length).toBeGreaterThan(0);
      const cut = Object.keys(feed.caps.truncated);
      if (hostile.expect === 'parsed') {
        expect(cut).toEqual([]);
      } else {
        expect(cut.join(','), 'a truncation is reported').toContain(hostile.reason ?? '');
      }
    }, 60_000);
  }

  it('caps fields at a word and items at the newest 200, reporting each cut', async () => {
    const find = (name: string) => HOSTILE_CASES.find((c) => c.name === name)!;
    const title = await parser.prepare(Buffer.from(find('200 KB title').build()), {
      url: 'https://hostile.example/feed',
    });
    const draftTitle = title.items[0]!.draft.title;
    expect(draftTitle.length).toBeLessThanOrEqual(300);
    expect(draftTitle).toMatch(/word…$/);
    const author = await parser.prepare(Buffer.from(find('author of repeated "(a@"').build()), {
      url: 'https://hostile.example/feed',
    });
    expect(author.items[0]!.draft.author!.length).toBeLessThanOrEqual(200);
    const link = await parser.prepare(Buffer.from(find('64 KB link').build()), { url: 'https://hostile.example/feed' });
    expect(link.items[0]!.draft.url).toBeUndefined();
    expect(link.items[0]!.keys.primary).toBe('feed:guid:urn:h:1');
    const many = await parser.prepare(Buffer.from(find('20,000 items with rotating ids').build()), {
      url: 'https://hostile.example/feed',
    });
    expect(many.items).toHaveLength(200);
    expect(many.caps).toMatchObject({ itemsFound: 20_000, itemsDropped: 19_800 });
    // Undated items: the feed's own order (newest first by convention) decides.
    expect(many.items[0]!.draft.title).toMatch(/ 0$/);
    const categories = await parser.prepare(Buffer.from(find('one item with 50,000 categories').build()), {
      url: 'https://hostile.example/feed',
    });
    expect(categories.items[0]!.draft.tags).toHaveLength(25);
  }, 60_000);

  it('quarantines a document over budget, replaces the worker and keeps parsing others', async () => {
    const tight = createFeedParser({ budgetMs: 500 });
    try {
      const ok = Buffer.from(HOSTILE_CASES[0]!.build());
      // Warm the worker; a small document is far inside the budget once the worker has started.
      await tight.prepare(ok, { url: 'https://hostile.example/feed' });
      // 200,000 items: several seconds of parsing even on an idle machine, so it is over 500 ms on any.
      const big = Buffer.from(HOSTILE_CASES.find((c) => c.name === '20,000 items with rotating ids')!.build(10));
      const started = performance.now();
      await expect(tight.prepare(big, { url: 'https://hostile.example/big' })).rejects.toThrow(
        /Quarantined: parsing took longer than 500 ms/,
      );
      expect(performance.now() - started).toBeLessThan(5_000);
      const after = await tight.prepare(ok, { url: 'https://hostile.example/feed' });
      expect(after.items).toHaveLength(1);
    } finally {
      await tight.close();
    }
  }, 60_000);
});
