import { deliveryOf, dueRows } from '../support/deliveries.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/domain/channel.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { makeInput } from '../support/articles.js';
import { tempDir } from '../support/paths.js';

const A: ChannelId = 'discord:100';
const B: ChannelId = 'slack:C200';
const T0 = '2030-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('the delivery ledger (SQLite)', () => {
  let dir: string;
  let cleanup: () => void;
  let stores: SqliteStores;
  let ids: string[];

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('newsdesk-ledger-'));
    stores = openSqliteStores(join(dir, 'ledger.db'));
    ids = [];
    for (let i = 0; i < 4; i += 1) ids.push((await stores.articles.upsert(makeInput(), T0)).article.id);
  });

  afterEach(async () => {
    await stores.close();
    cleanup();
  });

  it('keeps one row per (article, channel): a second enqueue adds nothing', async () => {
    expect(await stores.deliveries.enqueue(ids[0]!, [A, B], at(0))).toBe(2);
    expect(await stores.deliveries.enqueue(ids[0]!, [A, B, A], at(1))).toBe(0);
    await stores.deliveries.markSending(ids[0]!, A, at(2));
    await stores.deliveries.markSent(ids[0]!, A, 'm1', at(3));
    // Re-enqueueing a sent pair (a re-ingest, a restart) must not make it pending again.
    expect(await stores.deliveries.enqueue(ids[0]!, [A], at(4))).toBe(0);
    const rows = await stores.deliveries.forArticle(ids[0]!);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.channel === A)).toMatchObject({ state: 'sent', messageId: 'm1', attempts: 1 });
    expect(rows.find((row) => row.channel === B)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('walks pending → sending → sent, counting attempts, and sent rows are never due again', async () => {
    await stores.deliveries.enqueue(ids[0]!, [A], at(0));
    expect((await deliveryOf(stores.deliveries, ids[0]!, A))?.state).toBe('pending');
    await stores.deliveries.markSending(ids[0]!, A, at(1));
    expect(await deliveryOf(stores.deliveries, ids[0]!, A)).toMatchObject({ state: 'sending', attempts: 1 });
    await stores.deliveries.markSent(ids[0]!, A, 'msg-9', at(2));
    expect(await deliveryOf(stores.deliveries, ids[0]!, A)).toMatchObject({
      state: 'sent',
      attempts: 1,
      messageId: 'msg-9',
      lastError: undefined,
    });
    expect(await dueRows(stores.deliveries, { now: at(100), limit: 10, perChannel: 10 })).toEqual([]);
  });

  it('a retry waits for its time and keeps its reason; the retry query sees only rows tried before', async () => {
    await stores.deliveries.enqueue(ids[0]!, [A], at(0));
    await stores.deliveries.enqueue(ids[1]!, [A], at(1));
    await stores.deliveries.markSending(ids[0]!, A, at(2));
    await stores.deliveries.markRetry(ids[0]!, A, 'Discord answered 502', at(30), at(3));
    const row = await deliveryOf(stores.deliveries, ids[0]!, A);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Discord answered 502', notBefore: at(30) });

    const early = await dueRows(stores.deliveries, { now: at(10), limit: 10, perChannel: 10 });
    expect(early.map((r) => r.articleId)).toEqual([ids[1]]);
    const later = await dueRows(stores.deliveries, { now: at(30), limit: 10, perChannel: 10 });
    expect(later.map((r) => r.articleId)).toEqual([ids[0], ids[1]]);
    const retries = await dueRows(stores.deliveries, { now: at(30), limit: 10, perChannel: 10, retriesOnly: true });
    expect(retries.map((r) => r.articleId)).toEqual([ids[0]]);
  });

  it('returns rows left in `sending` (a crash) whatever their time, so the dispatcher can resolve them', async () => {
    await stores.deliveries.enqueue(ids[0]!, [A], at(0));
    await stores.deliveries.markSending(ids[0]!, A, at(1));
    const due = await dueRows(stores.deliveries, { now: at(0), limit: 10, perChannel: 10, retriesOnly: true });
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ articleId: ids[0], state: 'sending', attempts: 1 });
  });

  it('gives at most `perChannel` rows per channel, oldest first, and narrows to the channels asked for', async () => {
    for (const [index, id] of ids.entries()) await stores.deliveries.enqueue(id, [A, B], at(index));
    const due = await dueRows(stores.deliveries, { now: at(10), limit: 100, perChannel: 2 });
    expect(due.filter((row) => row.channel === A).map((row) => row.articleId)).toEqual([ids[0], ids[1]]);
    expect(due.filter((row) => row.channel === B).map((row) => row.articleId)).toEqual([ids[0], ids[1]]);
    const onlyB = await dueRows(stores.deliveries, { now: at(10), limit: 100, perChannel: 10, channels: [B] });
    expect(onlyB.map((row) => row.channel)).toEqual([B, B, B, B]);
    expect(await dueRows(stores.deliveries, { now: at(10), limit: 100, perChannel: 10, channels: [] })).toEqual([]);
  });

  it('shows failures with their reasons, the last post and what is waiting in channelStatus', async () => {
    for (const id of ids) await stores.deliveries.enqueue(id, [A], at(0));
    await stores.deliveries.markSending(ids[0]!, A, at(1));
    await stores.deliveries.markSent(ids[0]!, A, 'm0', at(2));
    await stores.deliveries.markSending(ids[1]!, A, at(3));
    await stores.deliveries.markFailed(ids[1]!, A, 'The bot may not post in discord:100: Missing Permissions', at(4));
    await stores.deliveries.markSending(ids[2]!, A, at(5));

    const status = await stores.deliveries.channelStatus(A, 5);
    expect(status.lastSent).toMatchObject({ articleId: ids[0], messageId: 'm0' });
    expect(status.pending).toBe(1);
    expect(status.sending).toBe(1);
    expect(status.failed).toHaveLength(1);
    expect(status.failed[0]).toMatchObject({
      articleId: ids[1],
      state: 'failed',
      attempts: 1,
      lastError: 'The bot may not post in discord:100: Missing Permissions',
    });
    expect(await stores.deliveries.countByState()).toEqual({ pending: 1, sending: 1, sent: 1, failed: 1 });
    // Another channel's status is its own.
    expect(await stores.deliveries.channelStatus(B, 5)).toEqual({
      lastSent: undefined,
      pending: 0,
      sending: 0,
      retrying: [],
      failed: [],
    });
  });

  it('survives closing and reopening the file (what a restart sees)', async () => {
    await stores.deliveries.enqueue(ids[0]!, [A, B], at(0));
    await stores.deliveries.markSending(ids[0]!, A, at(1));
    await stores.close();
    stores = openSqliteStores(join(dir, 'ledger.db'));
    expect(await stores.deliveries.countByState()).toEqual({ pending: 1, sending: 1, sent: 0, failed: 0 });
    expect(await deliveryOf(stores.deliveries, ids[0]!, A)).toMatchObject({ state: 'sending', attempts: 1 });
  });
});
