import type { ChannelId } from '../../src/domain/channel.js';
import type { Delivery } from '../../src/domain/delivery.js';
import type { DeliveryStore } from '../../src/store/ports.js';

/** One ledger row, read through the port's forArticle (the store has no single-row getter). */
export async function deliveryOf(
  deliveries: DeliveryStore,
  articleId: string,
  channel: ChannelId | string,
): Promise<Delivery | undefined> {
  return (await deliveries.forArticle(articleId)).find((row) => row.channel === channel);
}

let probes = 0;

/**
 * What a claimer would get right now (due rows, oldest first, at most `perChannel` per channel),
 * through claimDue with a throwaway owner whose claims are given back at once.
 */
export async function dueRows(
  deliveries: DeliveryStore,
  query: { now: string; limit: number; perChannel: number; channels?: string[]; retriesOnly?: boolean },
): Promise<Delivery[]> {
  const owner = `probe-${++probes}`;
  const rows = await deliveries.claimDue({ ...query, maxChannels: 10_000, owner, leaseMs: 1 });
  await deliveries.releaseClaims(owner);
  return rows.slice(0, query.limit);
}
