import { deliveryOf, dueRows } from '../support/deliveries.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/domain/channel.js';
import { emptyFilter, type Subscription } from '../../src/domain/subscription.js';
import { articleIdFor } from '../../src/domain/article-key.js';
import type { Stores } from '../../src/store/ports.js';
import { makeInput } from '../support/articles.js';
import { articleExtrasContract } from './article-extras-contract.js';
import { claimsContract } from './claims-contract.js';

/** The behaviour every store implementation must have. Run it once per implementation. */
export function storeContract(
  name: string,
  open: () => Promise<{ stores: Stores; reopen: () => Promise<Stores>; cleanup: () => Promise<void> }>,
) {
  describe(`store contract: ${name}`, () => {
    let stores: Stores;
    let reopen: () => Promise<Stores>;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ stores, reopen, cleanup } = await open());
    });
    afterEach(async () => {
      await stores.close();
      await cleanup();
    });

    claimsContract(async () => {
      const opened = await open();
      return { stores: opened.stores, cleanup: opened.cleanup };
    });
    articleExtrasContract(async () => {
      const opened = await open();
      return { stores: opened.stores, cleanup: opened.cleanup };
    });

    describe('articles', () => {
      it('stores a new article with a short url-safe id', async () => {
        const result = await stores.articles.upsert(
          makeInput({ title: 'Harbour reopens' }),
          '2025-01-01T00:00:00.000Z',
        );
        expect(result.status).toBe('new');
        expect(result.article.id).toMatch(/^[0-9a-z]{6,10}$/);
        expect(result.article.firstSeenAt).toBe('2025-01-01T00:00:00.000Z');
        expect(await stores.articles.get(result.article.id)).toEqual(result.article);
        expect(await stores.articles.count()).toBe(1);
      });

      it('dedups on the canonical key: same content is unchanged, new content updates in place', async () => {
        const first = await stores.articles.upsert(makeInput({ key: 'k1', title: 'Original', contentHash: 'a' }));
        const again = await stores.articles.upsert(makeInput({ key: 'k1', title: 'Original', contentHash: 'a' }));
        expect(again.status).toBe('unchanged');
        const edited = await stores.articles.upsert(
          makeInput({ key: 'k1', title: 'Edited', contentHash: 'b' }),
          '2030-01-01T00:00:00.000Z',
        );
        expect(edited.status).toBe('updated');
        expect(edited.article.id).toBe(first.article.id);
        expect(edited.article.firstSeenAt).toBe(first.article.firstSeenAt);
        expect((await stores.articles.get(first.article.id))?.title).toBe('Edited');
        expect(await stores.articles.count()).toBe(1);
      });

      it('re-keys an article when told its previous key, keeping the id', async () => {
        const first = await stores.articles.upsert(makeInput({ key: 'old-key', contentHash: 'a' }));
        const moved = await stores.articles.upsert({
          ...makeInput({ key: 'new-key', contentHash: 'b' }),
          previousKey: 'old-key',
        });
        expect(moved.status).toBe('updated');
        expect(moved.article.id).toBe(first.article.id);
        expect(await stores.articles.getByKey('old-key')).toBeUndefined();
        expect((await stores.articles.getByKey('new-key'))?.id).toBe(first.article.id);
      });

      it('gives the same id for the same key across a reopen', async () => {
        const first = await stores.articles.upsert(makeInput({ key: 'stable', contentHash: 'a' }));
        await stores.close();
        stores = await reopen();
        const again = await stores.articles.upsert(makeInput({ key: 'stable', contentHash: 'a' }));
        expect(again).toMatchObject({ status: 'unchanged', article: { id: first.article.id } });
      });

      it('lists newest first by published date, undated by first-seen time', async () => {
        await stores.articles.upsert(
          makeInput({ title: 'Old', published: '2020-01-01T00:00:00.000Z' }),
          '2025-01-01T00:00:00.000Z',
        );
        await stores.articles.upsert(
          makeInput({ title: 'New', published: '2024-06-01T00:00:00.000Z' }),
          '2025-01-01T00:00:00.000Z',
        );
        await stores.articles.upsert(makeInput({ title: 'Undated' }), '2022-03-03T00:00:00.000Z');
        expect((await stores.articles.latest(10)).map((article) => article.title)).toEqual(['New', 'Undated', 'Old']);
        expect(await stores.articles.latest(1)).toHaveLength(1);
      });

      it('searches title and body, ignoring query syntax', async () => {
        await stores.articles.upsert(
          makeInput({
            title: 'Netflix tries generative AI',
            body: [{ type: 'paragraph', text: 'Studios are watching.' }],
          }),
        );
        await stores.articles.upsert(
          makeInput({ title: 'Rain tomorrow', body: [{ type: 'paragraph', text: 'Umbrellas and Netflix weather.' }] }),
        );
        await stores.articles.upsert(
          makeInput({ title: 'Unrelated', body: [{ type: 'paragraph', text: 'Nothing here.' }] }),
        );
        const hits = await stores.articles.search('netflix', 10);
        expect(hits.map((article) => article.title)).toEqual(['Netflix tries generative AI', 'Rain tomorrow']);
        expect(await stores.articles.search('"unbalanced AND (', 10)).toEqual([]);
        expect(await stores.articles.search('generative studios', 10)).toHaveLength(1);
      });

      it('records new and changed articles with the article, and not those stored without announcing', async () => {
        const first = await stores.articles.upsert(makeInput({ key: 'a', contentHash: '1' }));
        await stores.articles.upsert({ ...makeInput({ key: 'quiet', contentHash: '1' }), announce: false });
        await stores.articles.upsert(makeInput({ key: 'a', contentHash: '1' }));
        expect((await stores.articles.pendingOutbox(10)).map((entry) => [entry.article.key, entry.status])).toEqual([
          ['a', 'new'],
        ]);
        // Changed before its fan-out was done: it is still new to the channels.
        await stores.articles.upsert(makeInput({ key: 'a', contentHash: '2' }));
        expect((await stores.articles.pendingOutbox(10)).map((entry) => entry.status)).toEqual(['new']);
        await stores.articles.clearOutbox([first.article.id]);
        expect(await stores.articles.pendingOutbox(10)).toEqual([]);
        await stores.articles.upsert(makeInput({ key: 'a', contentHash: '3' }));
        expect((await stores.articles.pendingOutbox(10)).map((entry) => entry.status)).toEqual(['updated']);
      });

      it('suggests titles by words typed so far and by id prefix', async () => {
        const { article } = await stores.articles.upsert(makeInput({ title: 'Election results are in' }));
        await stores.articles.upsert(makeInput({ title: 'Elephants return' }));
        expect((await stores.articles.suggest('elec', 25)).map((row) => row.title)).toEqual([
          'Election results are in',
        ]);
        expect((await stores.articles.suggest(article.id.slice(0, 5), 25)).map((row) => row.id)).toContain(article.id);
        expect(await stores.articles.suggest('', 1)).toHaveLength(1);
      });

      it('derives the id from the key, so every store gives the same id', async () => {
        const { article } = await stores.articles.upsert(makeInput({ key: 'file:same-everywhere' }));
        expect(article.id).toBe(articleIdFor('file:same-everywhere'));
      });

      it('upserts many in input order, seeing earlier items of the same batch', async () => {
        const stored = await stores.articles.upsert(makeInput({ key: 'b0', contentHash: 'h0' }));
        const results = await stores.articles.upsertMany(
          [
            makeInput({ key: 'b1', contentHash: 'h1' }),
            makeInput({ key: 'b0', contentHash: 'h0' }),
            makeInput({ key: 'b1', contentHash: 'h1-edited' }),
            makeInput({ key: 'b2', contentHash: 'h2' }),
          ],
          '2025-02-02T00:00:00.000Z',
        );
        expect(results.map((result) => result.status)).toEqual(['new', 'unchanged', 'updated', 'new']);
        expect(results[1]?.article.id).toBe(stored.article.id);
        expect(results[2]?.article.id).toBe(results[0]?.article.id);
        expect(await stores.articles.count()).toBe(3);
        expect(await stores.articles.upsertMany([])).toEqual([]);
      });

      it('searches without regard to case or accents, and finds nothing for punctuation alone', async () => {
        await stores.articles.upsert(
          makeInput({
            title: 'Café reopens on the quay',
            body: [{ type: 'paragraph', text: 'Crème brûlée returns.' }],
          }),
        );
        expect(await stores.articles.search('cafe', 10)).toHaveLength(1);
        expect(await stores.articles.search('CAFÉ', 10)).toHaveLength(1);
        expect(await stores.articles.search('creme brulee', 10)).toHaveLength(1);
        expect(await stores.articles.search('*:& | ! ()', 10)).toEqual([]);
        expect(await stores.articles.search("o'brien's -- ; drop", 10)).toEqual([]);
      });

      it('stores odd text (NUL, emoji, right-to-left) and reads it back unchanged', async () => {
        const title = 'Odd \u0000 text 🚀 مرحبا';
        const { article } = await stores.articles.upsert(
          makeInput({ title, body: [{ type: 'paragraph', text: 'Line\u0000with NUL and 🚀.' }] }),
        );
        expect((await stores.articles.get(article.id))?.title).toBe(title);
        expect(await stores.articles.search('مرحبا', 5)).toHaveLength(1);
      });

      it('suggests from title words only, not the body', async () => {
        await stores.articles.upsert(
          makeInput({ title: 'Weather today', body: [{ type: 'paragraph', text: 'Election talk everywhere.' }] }),
        );
        expect(await stores.articles.suggest('elec', 25)).toEqual([]);
        expect((await stores.articles.suggest('weather tod', 25)).map((row) => row.title)).toEqual(['Weather today']);
      });
    });

    describe('deliveries', () => {
      const a: ChannelId = 'discord:1';
      const b: ChannelId = 'slack:C2';
      const t0 = '2025-01-01T00:00:00.000Z';

      it('keeps one row per (article, channel)', async () => {
        expect(await stores.deliveries.enqueue('art1', [a, b], t0)).toBe(2);
        expect(await stores.deliveries.enqueue('art1', [a, b], t0)).toBe(0);
        expect(await stores.deliveries.countByState()).toEqual({ pending: 2, sending: 0, sent: 0, failed: 0 });
      });

      it('moves through sending to sent with the message id', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markSending('art1', a, t0);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({ state: 'sending', attempts: 1 });
        await stores.deliveries.markSent('art1', a, 'm-1', t0);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({ state: 'sent', messageId: 'm-1' });
        expect(await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10 })).toEqual([]);
      });

      it('keeps the first step of a post on a row still in flight, through a retry, never on a sent row', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markSending('art1', a, t0);
        await stores.deliveries.markPosted('art1', a, 'm-1', t0);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({ state: 'sending', messageId: 'm-1' });
        await stores.deliveries.markRetry('art1', a, 'thread failed', t0, t0);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({ state: 'pending', messageId: 'm-1' });
        await stores.deliveries.markSent('art1', a, 'm-1', t0);
        await stores.deliveries.markPosted('art1', a, 'm-2', t0);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({ state: 'sent', messageId: 'm-1' });
      });

      it('returns rows left in sending as due, so a restart resolves them', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markSending('art1', a, t0);
        expect(
          (await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10 })).map((row) => row.state),
        ).toEqual(['sending']);
      });

      it('holds retries until not-before, and caps rows per channel', async () => {
        for (const id of ['x1', 'x2', 'x3']) await stores.deliveries.enqueue(id, [a], t0);
        await stores.deliveries.enqueue('y1', [b], t0);
        expect(
          (await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 2 })).map(
            (row) => `${row.articleId}@${row.channel}`,
          ),
        ).toEqual(['x1@discord:1', 'x2@discord:1', 'y1@slack:C2']);
        await stores.deliveries.markRetry('x1', a, 'HTTP 502', '2025-01-01T00:05:00.000Z', t0);
        expect(
          (await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 1 })).map((row) => row.articleId),
        ).toEqual(['x2', 'y1']);
        expect(
          (await dueRows(stores.deliveries, { now: '2025-01-01T00:05:00.000Z', limit: 10, perChannel: 5 })).map(
            (row) => row.articleId,
          ),
        ).toContain('x1');
      });

      it('shows rows being retried, with their reason, in the channel status', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markSending('art1', a, t0);
        await stores.deliveries.markRetry('art1', a, 'HTTP 503', '2025-01-01T00:01:00.000Z', t0);
        const status = await stores.deliveries.channelStatus(a, 5);
        expect(status.retrying).toEqual([
          expect.objectContaining({
            articleId: 'art1',
            lastError: 'HTTP 503',
            attempts: 1,
            notBefore: '2025-01-01T00:01:00.000Z',
          }),
        ]);
        expect(status.pending).toBe(1);
      });

      it('requeues the failed rows of one channel and no others', async () => {
        await stores.deliveries.enqueue('art1', [a, b], t0);
        await stores.deliveries.enqueue('art2', [a], t0);
        await stores.deliveries.markFailed('art1', a, 'Missing Permissions', t0);
        await stores.deliveries.markFailed('art1', b, 'not_in_channel', t0);
        expect(await stores.deliveries.requeueFailed(a, '2025-01-02T00:00:00.000Z')).toBe(1);
        expect(await deliveryOf(stores.deliveries, 'art1', a)).toMatchObject({
          state: 'pending',
          attempts: 0,
          lastError: undefined,
        });
        expect(await deliveryOf(stores.deliveries, 'art1', b)).toMatchObject({ state: 'failed' });
        expect(await deliveryOf(stores.deliveries, 'art2', a)).toMatchObject({ state: 'pending' });
        expect(await stores.deliveries.requeueFailed(a, '2025-01-02T00:00:00.000Z')).toBe(0);
      });

      it('records failures with their reason for status', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markFailed('art1', a, 'Missing Permissions', t0);
        expect((await stores.deliveries.channelStatus(a, 10)).failed).toEqual([
          expect.objectContaining({ state: 'failed', lastError: 'Missing Permissions' }),
        ]);
      });

      it('narrows due rows to channels, and to retries', async () => {
        await stores.deliveries.enqueue('art1', [a, b], t0);
        await stores.deliveries.enqueue('art2', [a], t0);
        expect(
          (await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10, channels: [b] })).map(
            (row) => row.channel,
          ),
        ).toEqual([b]);
        expect(await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10, channels: [] })).toEqual([]);
        expect(await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10, retriesOnly: true })).toEqual([]);
        await stores.deliveries.markSending('art1', a, t0);
        await stores.deliveries.markSending('art1', b, t0);
        await stores.deliveries.markRetry('art1', b, 'HTTP 500', t0, t0);
        const retries = await dueRows(stores.deliveries, { now: t0, limit: 10, perChannel: 10, retriesOnly: true });
        expect(retries.map((row) => `${row.articleId}@${row.channel}:${row.state}`).sort()).toEqual([
          'art1@discord:1:sending',
          'art1@slack:C2:pending',
        ]);
        expect(await dueRows(stores.deliveries, { now: t0, limit: 1, perChannel: 10 })).toHaveLength(1);
      });

      it("lists an article's rows and resets one to send again from scratch", async () => {
        await stores.deliveries.enqueue('art1', [a, b], t0);
        await stores.deliveries.markSending('art1', a, t0);
        await stores.deliveries.markSent('art1', a, 'm-1', t0);
        expect((await stores.deliveries.forArticle('art1')).map((row) => row.channel).sort()).toEqual([a, b]);
        expect(await stores.deliveries.forArticle('other')).toEqual([]);
        await stores.deliveries.reset('art1', a, '2025-01-02T00:00:00.000Z');
        const row = await deliveryOf(stores.deliveries, 'art1', a);
        expect(row).toMatchObject({
          state: 'pending',
          attempts: 0,
          updatedAt: '2025-01-02T00:00:00.000Z',
          createdAt: t0,
        });
        expect(row?.messageId).toBeUndefined();
      });

      it("reports a channel's status and counts every state", async () => {
        for (const id of ['s1', 's2', 'p1', 'f1', 'f2', 'w1']) await stores.deliveries.enqueue(id, [a], t0);
        await stores.deliveries.markSent('s1', a, 'm-1', '2025-01-01T00:01:00.000Z');
        await stores.deliveries.markSent('s2', a, 'm-2', '2025-01-01T00:02:00.000Z');
        await stores.deliveries.markFailed('f1', a, 'gone', '2025-01-01T00:03:00.000Z');
        await stores.deliveries.markFailed('f2', a, 'forbidden', '2025-01-01T00:04:00.000Z');
        await stores.deliveries.markSending('w1', a, t0);
        const status = await stores.deliveries.channelStatus(a, 1);
        expect(status.lastSent).toMatchObject({ articleId: 's2', messageId: 'm-2' });
        expect(status).toMatchObject({ pending: 1, sending: 1 });
        expect(status.failed.map((row) => row.lastError)).toEqual(['forbidden']);
        expect(await stores.deliveries.channelStatus(b, 5)).toEqual({
          lastSent: undefined,
          pending: 0,
          sending: 0,
          retrying: [],
          failed: [],
        });
        expect(await stores.deliveries.countByState()).toEqual({ pending: 1, sending: 1, sent: 2, failed: 2 });
      });
    });

    describe('meta and file index', () => {
      it('keeps settings and file records', async () => {
        await stores.meta.setMeta('discord.commands.hash', 'abc');
        await stores.meta.setMeta('discord.commands.hash', 'def');
        expect(await stores.meta.getMeta('discord.commands.hash')).toBe('def');
        await stores.files.setFiles([
          { path: '/a/x.txt', mtimeMs: 1, size: 2, articleKey: 'k' },
          { path: '/ab/y.txt', mtimeMs: 1, size: 2, articleKey: 'k2' },
        ]);
        expect((await stores.files.filesUnder('/a')).map((file) => file.path)).toEqual(['/a/x.txt']);
        await stores.files.removeFile('/a/x.txt');
        expect(await stores.files.getFile('/a/x.txt')).toBeUndefined();
      });

      it('reads back file records exactly, and unknown settings as undefined', async () => {
        expect(await stores.meta.getMeta('missing')).toBeUndefined();
        const record = {
          path: '/articles/deep/z.md',
          mtimeMs: 1718000000123.456,
          size: 5_000_000_000,
          articleKey: 'id:z',
        };
        await stores.files.setFiles([record, { path: '/articles/a.md', mtimeMs: 1, size: 1, articleKey: 'id:a' }]);
        expect(await stores.files.getFile(record.path)).toEqual(record);
        expect((await stores.files.filesUnder('/articles/')).map((file) => file.path).sort()).toEqual([
          '/articles/a.md',
          '/articles/deep/z.md',
        ]);
        await stores.files.setFiles([]);
      });
    });

    describe('subscriptions', () => {
      const subscription = (channel: ChannelId, space?: string): Subscription => ({
        channel,
        space,
        filter: { ...emptyFilter(), include: ['harbour'] },
        digest: 0,
        paused: false,
        origin: 'command',
        createdBy: 'u1',
        createdAt: '2025-01-01T00:00:00.000Z',
      });

      it('keeps one subscription per channel, lists by space, pauses and removes', async () => {
        await stores.subscriptions.putSubscription(subscription('slack:C2', 'T1'));
        await stores.subscriptions.putSubscription(subscription('discord:9', 'G1'));
        await stores.subscriptions.putSubscription({
          ...subscription('discord:1', 'G1'),
          schedule: '0 * * * *',
          timezone: 'Europe/Paris',
          digest: 5,
        });
        await stores.subscriptions.putSubscription({
          ...subscription('slack:C2', 'T1'),
          origin: 'config',
          filter: emptyFilter(),
        });
        expect(await stores.subscriptions.getSubscription('slack:C2')).toEqual({
          ...subscription('slack:C2', 'T1'),
          origin: 'config',
          filter: emptyFilter(),
        });
        expect((await stores.subscriptions.listSubscriptions()).map((row) => row.channel)).toEqual([
          'discord:1',
          'discord:9',
          'slack:C2',
        ]);
        expect(await stores.subscriptions.listSubscriptions('G1')).toEqual([
          { ...subscription('discord:1', 'G1'), schedule: '0 * * * *', timezone: 'Europe/Paris', digest: 5 },
          subscription('discord:9', 'G1'),
        ]);
        const some = await stores.subscriptions.getSubscriptions(['discord:9', 'discord:404', 'slack:C2']);
        expect(some.map((row) => row.channel).sort()).toEqual(['discord:9', 'slack:C2']);
        expect(some.find((row) => row.channel === 'slack:C2')).toEqual(
          await stores.subscriptions.getSubscription('slack:C2'),
        );
        expect(await stores.subscriptions.getSubscriptions([])).toEqual([]);
        expect(await stores.subscriptions.setPaused('discord:9', true)).toBe(true);
        expect((await stores.subscriptions.getSubscription('discord:9'))?.paused).toBe(true);
        expect(await stores.subscriptions.setPaused('discord:404', true)).toBe(false);
        expect(await stores.subscriptions.removeSubscription('discord:9')).toBe(true);
        expect(await stores.subscriptions.removeSubscription('discord:9')).toBe(false);
        expect(await stores.subscriptions.getSubscription('discord:9')).toBeUndefined();
      });
    });
  });
}
