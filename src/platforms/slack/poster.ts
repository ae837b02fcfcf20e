import type { webApi } from '@slack/bolt';
import type { PostOptions, PostResult } from '../adapter.js';
import { parseChannelId, type ChannelId } from '../../domain/channel.js';
import { NewsdeskError } from '../../domain/errors.js';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../logger.js';
import type { SlackSendWatch } from './send-watch.js';
import { createChannelPacer } from './pacer.js';
import { renderSlack } from './render.js';
import { slackErrorCode, toNewsdeskError } from './errors.js';

/** `metadata.event_type` on every scheduled post; findPosted looks for it after a crash. */
export const ARTICLE_EVENT_TYPE = 'newsdesk_article';

/** How far back findPosted looks; a crash is recovered from within minutes, not days. */
const HISTORY_PAGE = 200;

export interface SlackPoster {
  post(channel: ChannelId, reply: Reply, options: PostOptions): Promise<PostResult>;
  edit(channel: ChannelId, messageId: string, reply: Reply): Promise<void>;
  findPosted(channel: ChannelId, options: PostOptions): Promise<PostResult | undefined>;
}

export interface SlackPosterDeps {
  client: webApi.WebClient;
  log: Logger;
  /** Gap between two messages to one channel. Slack: about one per second. */
  intervalMs?: number;
  /** Tells a post when its request really left (the client's fetch must be `sendWatch.fetch`). */
  sendWatch?: SlackSendWatch;
  now?: () => number;
}

/**
 * Scheduled posts. The client given here must be built with `rejectRateLimitedCalls: true` and
 * no retries: a 429 or a 5xx is handed straight to the dispatcher, which owns backoff and the
 * delivery ledger. Letting the WebClient sleep and retry inside one call would hold the
 * dispatcher's tick for up to half an hour and hide the failure from the ledger.
 */
export function createSlackPoster(deps: SlackPosterDeps): SlackPoster {
  const now = deps.now ?? Date.now;
  const pacer = createChannelPacer({ intervalMs: deps.intervalMs ?? 1000, now });

  function nativeChannel(channel: ChannelId): string {
    const parsed = parseChannelId(channel);
    if (!parsed || parsed.platform !== 'slack') {
      throw new NewsdeskError('bad_input', `Not a Slack channel: ${channel}`, { channel });
    }
    return parsed.nativeId;
  }

  function fail(err: unknown, channel: ChannelId, method: string): never {
    const mapped = toNewsdeskError(err, { channel, method });
    if (mapped.code === 'rate_limited') {
      pacer.pause(channel, now() + Number(mapped.details.retryAfterMs));
      deps.log.warn({ channel, method, retryAfterMs: mapped.details.retryAfterMs }, 'slack rate limited');
    } else if (mapped.code === 'forbidden') {
      deps.log.warn(
        { channel, method, slackError: mapped.details.slackError },
        'slack channel refuses posts; skipping it',
      );
    } else {
      deps.log.warn({ err, channel, method }, 'slack call failed');
    }
    throw mapped;
  }

  return {
    async post(channel, reply, options) {
      const id = nativeChannel(channel);
      const message = renderSlack(reply);
      return pacer.run(channel, async () => {
        try {
          // The channel's pacer may have held the post: the rate limiter counts the workspace's window
          // from now, when it really leaves, or posts bunch up at Slack and meet 429s.
          options.onSent?.();
          // And again as the request's headers are written: the client may hold it a while first.
          const cancel = options.onSent ? deps.sendWatch?.expect(id, options.onSent) : undefined;
          const result = await deps.client.chat
            .postMessage({
              channel: id,
              text: message.text,
              blocks: message.blocks,
              unfurl_links: false,
              unfurl_media: false,
              // Article text must never ping anyone, whatever it contains.
              link_names: false,
              metadata: {
                event_type: ARTICLE_EVENT_TYPE,
                event_payload: { article_id: options.articleId, nonce: options.nonce },
              },
            })
            .finally(() => cancel?.());
          if (!result.ts) throw new NewsdeskError('transient', 'Slack returned no message ts', { channel });
          return { messageId: result.ts };
        } catch (err) {
          if (err instanceof NewsdeskError) throw err;
          return fail(err, channel, 'chat.postMessage');
        }
      });
    },

    async edit(channel, messageId, reply) {
      const id = nativeChannel(channel);
      const message = renderSlack(reply);
      await pacer.run(channel, async () => {
        try {
          await deps.client.chat.update({
            channel: id,
            ts: messageId,
            text: message.text,
            blocks: message.blocks,
            link_names: false,
          });
        } catch (err) {
          fail(err, channel, 'chat.update');
        }
      });
    },

    async findPosted(channel, options) {
      const id = nativeChannel(channel);
      try {
        const history = await deps.client.conversations.history({
          channel: id,
          include_all_metadata: true,
          limit: HISTORY_PAGE,
        });
        const found = (history.messages ?? []).find(
          (message) =>
            message.metadata?.event_type === ARTICLE_EVENT_TYPE &&
            (message.metadata.event_payload as Record<string, unknown> | undefined)?.article_id === options.articleId,
        );
        return found?.ts ? { messageId: found.ts } : undefined;
      } catch (err) {
        // Without channels:history we cannot look; saying "not posted" is the only answer left,
        // and the operator is told why duplicates after a crash are possible.
        if (slackErrorCode(err) === 'missing_scope') {
          deps.log.error(
            { channel },
            'slack findPosted needs the channels:history scope; reinstall the app from the manifest',
          );
          return undefined;
        }
        return fail(err, channel, 'conversations.history');
      }
    },
  };
}
