import { deliveryOf } from '../support/deliveries.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/domain/channel.js';
import type { ClaimQuery, Stores } from '../../src/store/ports.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const A: ChannelId = 'discord:1';
const B: ChannelId = 'slack:C2';
const C: ChannelId = 'discord:3';

/**
 * Delivery claims: what lets several replicas share one ledger. Both stores run it (SQLite serves
 * one process, but the dispatcher claims on every store, and it must behave the same).
 */
export function claimsContract(open: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>) {
  describe('delivery claims', () => {
    let stores: Stores;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ stores, cleanup } = await open());
    });
    afterEach(async () => {
      await stores.close();
      await cleanup();
    });

    const claim = (owner: string, ms: number, extra: Partial<ClaimQuery> = {}) =>
      stores.deliveries.claimDue({ owner, leaseMs: 10_000, now: at(ms), maxChannels: 10, perChannel: 10, ...extra });
    const keys = (rows: { articleId: string; channel: string }[]) =>
      rows.map((row) => `${row.articleId}@${row.channel}`);

    it("claims whole channels, oldest due row first; a held channel is nobody else's, even its newer rows", async () => {
      await stores.deliveries.enqueue('x1', [A, B], at(0));
      await stores.deliveries.enqueue('x2', [A], at(1));
      await stores.deliveries.enqueue('x3', [C], at(2));
      expect(keys(await claim('r1', 5, { maxChannels: 1 }))).toEqual(['x1@discord:1', 'x2@discord:1']);
      expect(keys(await claim('r2', 5, { maxChannels: 1 }))).toEqual(['x1@slack:C2']);
      await stores.deliveries.enqueue('x4', [A], at(6));
      expect(keys(await claim('r2', 7))).toEqual(['x3@discord:3']);
      expect(await claim('r3', 8)).toEqual([]);
      // Given back, the channel (with the row queued meanwhile) is claimable again.
      await stores.deliveries.releaseClaims('r1');
      expect(keys(await claim('r3', 9))).toEqual(['x1@discord:1', 'x2@discord:1', 'x4@discord:1']);
    });

    it('honours perChannel, channel narrowing and retries-only, like due()', async () => {
      for (const id of ['y1', 'y2', 'y3']) await stores.deliveries.enqueue(id, [A], at(0));
      await stores.deliveries.enqueue('y1', [B], at(0));
      expect(keys(await claim('r1', 1, { channels: [B] }))).toEqual(['y1@slack:C2']);
      expect(await claim('r1', 1, { channels: [] })).toEqual([]);
      expect(await claim('r1', 1, { retriesOnly: true })).toEqual([]);
      expect(keys(await claim('r1', 1, { perChannel: 2 }))).toEqual(['y1@discord:1', 'y2@discord:1']);
    });

    it('frees the channels of a replica that stopped renewing once the lease runs out; a row left in sending comes back as sending', async () => {
      await stores.deliveries.enqueue('z1', [A], at(0));
      await stores.deliveries.enqueue('z2', [A], at(0));
      expect(await claim('dead', 0, { leaseMs: 1_000 })).toHaveLength(2);
      expect(await stores.deliveries.markSending('z1', A, at(10), { owner: 'dead', leaseMs: 1_000 })).toBe(true);
      // The lease now ends at 1,010 ms: still held just before, free from then on.
      expect(await claim('alive', 1_009)).toEqual([]);
      const taken = await claim('alive', 1_010);
      expect(taken.map((row) => `${row.articleId}:${row.state}:${row.attempts}`)).toEqual([
        'z1:sending:1',
        'z2:pending:0',
      ]);
      // The dead replica's late write is fenced off; the new owner's goes through and extends its lease.
      expect(await stores.deliveries.markSending('z2', A, at(1_020), { owner: 'dead', leaseMs: 1_000 })).toBe(false);
      expect(await deliveryOf(stores.deliveries, 'z2', A)).toMatchObject({ state: 'pending', attempts: 0 });
      expect(await stores.deliveries.markSending('z2', A, at(1_020), { owner: 'alive', leaseMs: 60_000 })).toBe(true);
      expect(await claim('third', 20_000)).toEqual([]);
    });

    it("renews a live replica's claims with its heartbeat", async () => {
      await stores.deliveries.enqueue('h1', [A, B], at(0));
      await claim('r1', 0, { leaseMs: 1_000 });
      expect(await stores.deliveries.renewClaims('r1', at(5_000))).toBe(2);
      expect(await claim('r2', 4_999)).toEqual([]);
      expect(await claim('r2', 5_000)).toHaveLength(2);
      expect(await stores.deliveries.renewClaims('r1', at(9_000))).toBe(0);
    });

    it('never gives one channel to two claimers at once, and never turns a sent row back', async () => {
      const channels = Array.from({ length: 24 }, (_, i) => `discord:${100 + i}` as ChannelId);
      await stores.deliveries.enqueue('c1', channels, at(0));
      await stores.deliveries.enqueue('c2', channels, at(1));
      const owners = ['r1', 'r2', 'r3'];
      const got = new Map<string, string[]>();
      await Promise.all(
        owners.map(async (owner) => {
          for (;;) {
            const rows = await claim(owner, 10, { maxChannels: 3 });
            if (rows.length === 0) return;
            for (const row of rows)
              got.set(row.channel, [...(got.get(row.channel) ?? []), `${owner}:${row.articleId}`]);
          }
        }),
      );
      expect([...got.keys()].sort()).toEqual([...channels].sort());
      for (const [channel, list] of got) {
        const owner = list[0]!.split(':')[0];
        expect(list, channel).toEqual([`${owner}:c1`, `${owner}:c2`]);
      }
      await stores.deliveries.markSent('c1', channels[0]!, 'm-1', at(20));
      await stores.deliveries.markRetry('c1', channels[0]!, 'late timeout', at(30), at(21));
      await stores.deliveries.markFailed('c1', channels[0]!, 'late failure', at(22));
      expect(await deliveryOf(stores.deliveries, 'c1', channels[0]!)).toMatchObject({
        state: 'sent',
        messageId: 'm-1',
      });
    });
  });
}
