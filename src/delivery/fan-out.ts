import type { ChannelId } from '../domain/channel.js';
import type { Logger } from '../logger.js';
import type { Stores, UpsertResult } from '../store/ports.js';

/**
 * Decides which channels receive a stored article and writes their pending ledger rows.
 * A channel only receives articles that arrive after it is set up (no flood on first start).
 */
export function createFanOut(deps: { stores: Stores; log: Logger; channels: () => ChannelId[] | Promise<ChannelId[]> }) {
  return async (result: UpsertResult): Promise<void> => {
    if (result.status !== 'new') return;
    const channels = await deps.channels();
    const added = await deps.stores.deliveries.enqueue(result.article.id, channels);
    if (added > 0) deps.log.debug({ articleId: result.article.id, channels: added }, 'deliveries queued');
  };
}
