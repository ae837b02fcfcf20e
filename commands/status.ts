import type { Command } from './command.js';
import { describeSubscription } from './subscription-text.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export const statusCommand: Command = {
  name: 'status',
  description: 'Last post, waiting posts and failures for this channel',
  options: [],
  async run(ctx) {
    const subscription = await ctx.stores.subscriptions.getSubscription(ctx.channel);
    const status = await ctx.stores.deliveries.channelStatus(ctx.channel, 5);
    const lines = [
      subscription
        ? describeSubscription(subscription, ctx)
        : 'This channel has no subscription (/news subscribe starts one).',
    ];
    if (status.lastSent) {
      const article = await ctx.stores.articles.get(status.lastSent.articleId);
      lines.push(
        `Last post: ${when(status.lastSent.updatedAt)}: ${article?.title ?? status.lastSent.articleId} (id ${status.lastSent.articleId})`,
      );
    } else {
      lines.push('Last post: none yet.');
    }
    lines.push(`Waiting: ${status.pending}${status.sending > 0 ? `, ${status.sending} in flight` : ''}.`);
    if (status.retrying.length > 0) {
      lines.push(`Retrying (${status.retrying.length} most recent):`);
      for (const row of status.retrying) {
        const next = row.notBefore ? `, next try ${when(row.notBefore)}` : '';
        lines.push(
          `• article ${row.articleId}: ${row.lastError ?? 'unknown reason'} (${row.attempts} attempt${row.attempts === 1 ? '' : 's'}${next})`,
        );
      }
    }
    if (status.failed.length === 0) {
      lines.push('Failures: none.');
    } else {
      lines.push(`Failures (${status.failed.length} most recent):`);
      for (const failure of status.failed)
        lines.push(
          `• ${when(failure.updatedAt)} article ${failure.articleId}: ${failure.lastError ?? 'unknown reason'} (${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'})`,
        );
      lines.push('Once the cause is fixed, /news retry sends them again.');
    }
    return { kind: 'text', tone: 'info', ephemeral: true, title: `Status of ${ctx.channel}`, text: lines.join('\n') };
  },
};
