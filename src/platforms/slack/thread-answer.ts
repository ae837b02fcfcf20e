import type { webApi } from '@slack/bolt';
import type { ChannelId } from '../../domain/channel.js';
import { presentationOf } from '../../domain/presentation.js';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import type { SubscriptionStore } from '../../store/ports.js';
import { renderSlack } from './render.js';

interface ButtonBody {
  container?: { type?: string; channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
  channel?: { id?: string };
}

export interface ThreadAnswerDeps {
  subscriptions: Pick<SubscriptionStore, 'getSubscription'>;
  log: Logger;
}

/** Answers a post's Summary or Sources button in that post's thread, when its subscription has `thread=on`. */
export type ThreadAnswer = (input: {
  body: unknown;
  client: webApi.WebClient;
  channel: ChannelId;
  reply: Reply;
}) => Promise<boolean>;

/**
 * The post a button sits on, when it is a channel message: ephemeral replies have no thread, and a
 * button on a reply inside a thread answers in that same thread.
 */
function threadOf(body: ButtonBody): { channel: string; ts: string } | undefined {
  const container = body.container;
  if (container?.type !== 'message' || container.is_ephemeral) return undefined;
  const channel = container.channel_id ?? body.channel?.id;
  const ts = body.message?.thread_ts ?? container.thread_ts ?? body.message?.ts ?? container.message_ts;
  return channel && ts ? { channel, ts } : undefined;
}

/** Answers remembered per process, so repeated clicks cannot fill a thread; the oldest is forgotten first. */
const REMEMBERED = 2_000;

export function createThreadAnswer(deps: ThreadAnswerDeps): ThreadAnswer {
  const answered = new Set<string>();
  return async ({ body, client, channel, reply }) => {
    if (reply.kind !== 'summary' && reply.kind !== 'sources') return false;
    const target = threadOf(body as ButtonBody);
    if (!target) return false;
    // The thread already has this answer: a second click (anyone's) gets it ephemerally instead.
    const key = `${target.channel}:${target.ts}:${reply.kind}:${reply.article.id}`;
    if (answered.has(key)) return false;
    const subscription = await deps.subscriptions.getSubscription(channel);
    if (!subscription || !presentationOf(subscription.presentation).thread) return false;
    const message = renderSlack(reply);
    answered.add(key);
    if (answered.size > REMEMBERED) answered.delete(answered.values().next().value as string);
    try {
      await client.chat.postMessage({
        channel: target.channel,
        thread_ts: target.ts,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        link_names: false,
      });
      return true;
    } catch (err) {
      // Archived channel, a removed bot: the clicker still gets the answer, ephemerally.
      deps.log.warn({ err, channel, threadTs: target.ts }, 'slack thread answer failed; answering ephemerally');
      answered.delete(key);
      return false;
    }
  };
}
