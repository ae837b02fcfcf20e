import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Stores } from '../../src/store/ports.js';
import { makeInput } from '../support/articles.js';

/** The behaviour every store implementation must have. Run it once per implementation. */
export function storeContract(name: string, open: () => Promise<{ stores: Stores; reopen: () => Promise<Stores>; cleanup: () => Promise<void> }>) {
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

    describe('articles', () => {
      it('stores a new article with a short url-safe id', async () => {
        const result = await stores.articles.upsert(makeInput({ title: 'Harbour reopens' }), '2025-01-01T00:00:00.000Z');
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
        const edited = await stores.articles.upsert(makeInput({ key: 'k1', title: 'Edited', contentHash: 'b' }), '2030-01-01T00:00:00.000Z');
        expect(edited.status).toBe('updated');
        expect(edited.article.id).toBe(first.article.id);
        expect(edited.article.firstSeenAt).toBe(first.article.firstSeenAt);
        expect((await stores.articles.get(first.article.id))?.title).toBe('Edited');
        expect(await stores.articles.count()).toBe(1);
      });

      it('re-keys an article when told its previous key, keeping the id', async () => {
        const first = await stores.articles.upsert(makeInput({ key: 'old-key', contentHash: 'a' }));
        const moved = await stores.articles.upsert({ ...makeInput({ key: 'new-key', contentHash: 'b' }), previousKey: 'old-key' });
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
        await stores.articles.upsert(makeInput({ title: 'Old', published: '2020-01-01T00:00:00.000Z' }), '2025-01-01T00:00:00.000Z');
        await stores.articles.upsert(makeInput({ title: 'New', published: '2024-06-01T00:00:00.000Z' }), '2025-01-01T00:00:00.000Z');
        await stores.articles.upsert(makeInput({ title: 'Undated' }), '2022-03-03T00:00:00.000Z');
        expect((await stores.articles.latest(10)).map((article) => article.title)).toEqual(['New', 'Undated', 'Old']);
        expect(await stores.articles.latest(1)).toHaveLength(1);
      });

      it('searches title and body, ignoring query syntax', async () => {
        await stores.articles.upsert(makeInput({ title: 'Netflix tries generative AI', body: [{ type: 'paragraph', text: 'Studios are watching.' }] }));
        await stores.articles.upsert(makeInput({ title: 'Rain tomorrow', body: [{ type: 'paragraph', text: 'Umbrellas and Netflix weather.' }] }));
        await stores.articles.upsert(makeInput({ title: 'Unrelated', body: [{ type: 'paragraph', text: 'Nothing here.' }] }));
        const hits = await stores.articles.search('netflix', 10);
        expect(hits.map((article) => article.title)).toEqual(['Netflix tries generative AI', 'Rain tomorrow']);
        expect(await stores.articles.search('"unbalanced AND (', 10)).toEqual([]);
        expect(await stores.articles.search('generative studios', 10)).toHaveLength(1);
      });

      it('suggests titles by words typed so far and by id prefix', async () => {
        const { article } = await stores.articles.upsert(makeInput({ title: 'Election results are in' }));
        await stores.articles.upsert(makeInput({ title: 'Elephants return' }));
        expect((await stores.articles.suggest('elec', 25)).map((row) => row.title)).toEqual(['Election results are in']);
        expect((await stores.articles.suggest(article.id.slice(0, 5), 25)).map((row) => row.id)).toContain(article.id);
        expect(await stores.articles.suggest('', 1)).toHaveLength(1);
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
        expect(await stores.deliveries.get('art1', a)).toMatchObject({ state: 'sending', attempts: 1 });
        await stores.deliveries.markSent('art1', a, 'm-1', t0);
        expect(await stores.deliveries.get('art1', a)).toMatchObject({ state: 'sent', messageId: 'm-1' });
        expect(await stores.deliveries.due({ now: t0, limit: 10, perChannel: 10 })).toEqual([]);
      });

      it('returns rows left in sending as due, so a restart resolves them', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markSending('art1', a, t0);
        expect((await stores.deliveries.due({ now: t0, limit: 10, perChannel: 10 })).map((row) => row.state)).toEqual(['sending']);
      });

      it('holds retries until not-before, and caps rows per channel', async () => {
        for (const id of ['x1', 'x2', 'x3']) await stores.deliveries.enqueue(id, [a], t0);
        await stores.deliveries.enqueue('y1', [b], t0);
        expect((await stores.deliveries.due({ now: t0, limit: 10, perChannel: 2 })).map((row) => `${row.articleId}@${row.channel}`)).toEqual(['x1@discord:1', 'x2@discord:1', 'y1@slack:C2']);
        await stores.deliveries.markRetry('x1', a, 'HTTP 502', '2025-01-01T00:05:00.000Z', t0);
        expect((await stores.deliveries.due({ now: t0, limit: 10, perChannel: 1 })).map((row) => row.articleId)).toEqual(['x2', 'y1']);
        expect((await stores.deliveries.due({ now: '2025-01-01T00:05:00.000Z', limit: 10, perChannel: 5 })).map((row) => row.articleId)).toContain('x1');
      });

      it('records failures with their reason for status', async () => {
        await stores.deliveries.enqueue('art1', [a], t0);
        await stores.deliveries.markFailed('art1', a, 'Missing Permissions', t0);
        expect(await stores.deliveries.forChannel(a, 10)).toEqual([expect.objectContaining({ state: 'failed', lastError: 'Missing Permissions' })]);
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
    });
  });
}
