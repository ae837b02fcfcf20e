import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/ports.js';
import { makeInput } from '../support/articles.js';

const body = (text: string) => [{ type: 'paragraph' as const, text }];

/** Search operators, id case, basis and summariser-upgrade support: on every store. */
export function articleExtrasContract(open: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>) {
  describe('search operators, ids, basis, derived fields', () => {
    let stores: Stores;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ stores, cleanup } = await open());
    });
    afterEach(async () => {
      await stores.close();
      await cleanup();
    });

    const titles = async (query: string) => (await stores.articles.search(query, 10)).map((a) => a.title).sort();

    it('supports OR, -word and "phrases"', async () => {
      await stores.articles.upsert(
        makeInput({ title: 'Harbour storm', body: body('The port closed after the storm hit the coast.') }),
      );
      await stores.articles.upsert(
        makeInput({ title: 'Coffee prices', body: body('Prices rose as the drought hit growers.') }),
      );
      await stores.articles.upsert(
        makeInput({ title: 'Port reopens', body: body('The port reopened; no storm is expected.') }),
      );
      expect(await titles('storm OR drought')).toEqual(['Coffee prices', 'Harbour storm', 'Port reopens']);
      expect(await titles('storm -reopened')).toEqual(['Harbour storm']);
      expect(await titles('"port closed"')).toEqual(['Harbour storm']);
      expect(await titles('"closed port"')).toEqual([]);
      expect(await titles('port -"no storm"')).toEqual(['Harbour storm']);
      expect(await titles('hit OR nothing -coast')).toEqual(['Coffee prices']);
    });

    it('never fails on unbalanced quotes or a query of operators only', async () => {
      await stores.articles.upsert(makeInput({ title: 'Harbour storm', body: body('The port closed.') }));
      for (const query of [
        '"port',
        'port"',
        '"',
        '""',
        'OR',
        'OR OR',
        '-',
        '--',
        '-port',
        '- OR "',
        'AND NOT (',
        '*',
        'NEAR(a b)',
        ':',
      ]) {
        await expect(stores.articles.search(query, 10), query).resolves.toBeInstanceOf(Array);
        await expect(stores.articles.suggest(query, 10), query).resolves.toBeInstanceOf(Array);
      }
      expect(await titles('"port')).toEqual(['Harbour storm']);
      expect(await titles('-port')).toEqual([]);
    });

    it('finds an article by id whatever the case, and suggests by an upper-case id prefix', async () => {
      const { article } = await stores.articles.upsert(makeInput({ title: 'Election results are in' }));
      expect(await stores.articles.get(article.id.toUpperCase())).toEqual(article);
      const suggested = await stores.articles.suggest(article.id.slice(0, 5).toUpperCase(), 25);
      expect(suggested.map((row) => row.id)).toContain(article.id);
    });

    it('keeps the basis of each article', async () => {
      const teaser = { kind: 'teaser' as const, reason: 'page could not be fetched (HTTP 403)' };
      const { article } = await stores.articles.upsert({ ...makeInput({ title: 'Teaser only' }), basis: teaser });
      const { article: full } = await stores.articles.upsert({
        ...makeInput({ title: 'Full page' }),
        basis: { kind: 'full' },
      });
      expect((await stores.articles.get(article.id))?.basis).toEqual(teaser);
      expect((await stores.articles.get(full.id))?.basis).toEqual({ kind: 'full' });
      expect((await stores.articles.latest(10)).map((a) => a.basis?.kind).sort()).toEqual(['full', 'teaser']);
    });

    it('lists articles derived by another version, in a stable order that can resume', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) {
        const version = i % 2 === 0 ? 'v1' : 'v2';
        made.push(
          (await stores.articles.upsert({ ...makeInput({ title: `Story ${i}` }), derivedVersion: version })).article,
        );
      }
      await stores.articles.upsert(makeInput({ title: 'Unversioned' }));
      const stale = await stores.articles.staleDerived('v2', 10);
      expect(stale.map((a) => a.title)).toEqual(['Story 0', 'Story 2', 'Story 4', 'Unversioned']);
      const first = await stores.articles.staleDerived('v2', 2);
      const rest = await stores.articles.staleDerived('v2', 10, first.at(-1)!.id);
      expect([...first, ...rest].map((a) => a.title)).toEqual(stale.map((a) => a.title));
      expect(await stores.articles.staleDerived('v2', 0)).toEqual([]);
    });

    it('replaces summary and sources without touching hash, updatedAt or the outbox', async () => {
      const t0 = '2025-01-01T00:00:00.000Z';
      const { article } = await stores.articles.upsert(
        { ...makeInput({ title: 'Old summary' }), derivedVersion: 'v1' },
        t0,
      );
      await stores.articles.clearOutbox([article.id]);
      const derived = {
        summary: { sentences: ['A better summary.'], method: 'extractive' as const },
        sources: [
          {
            name: 'Reuters',
            kinds: ['publisher' as const],
            evidence: [{ kind: 'publisher' as const, text: 'Source: Reuters' }],
          },
        ],
        derivedVersion: 'v2',
      };
      expect(await stores.articles.replaceDerived(article.id, derived)).toBe(true);
      const after = await stores.articles.get(article.id);
      expect(after).toEqual({ ...article, summary: derived.summary, sources: derived.sources });
      expect(after?.contentHash).toBe(article.contentHash);
      expect(after?.updatedAt).toBe(t0);
      expect(await stores.articles.pendingOutbox(10)).toEqual([]);
      expect(await stores.articles.staleDerived('v2', 10)).toEqual([]);
      expect(await stores.articles.replaceDerived('nosuchid', derived)).toBe(false);
      // The same content stored again is unchanged: the new summary stays.
      const again = await stores.articles.upsert({ ...makeInput({ title: 'Old summary' }), derivedVersion: 'v1' }, t0);
      expect(again.status).toBe('unchanged');
    });
  });
}
