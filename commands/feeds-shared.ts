import { NewsdeskError } from '../src/domain/errors.js';
import { DEFAULT_LIMITS } from '../src/domain/limits.js';
import { OPERATOR_SPACE } from '../src/domain/space.js';
import type { FeedCommandsPort } from '../src/ingest/feeds/feed-commands-port.js';
import type { CommandContext } from './command.js';

export function feedsOf(ctx: CommandContext): FeedCommandsPort {
  if (!ctx.feeds) throw new NewsdeskError('internal', 'feed commands are not wired');
  return ctx.feeds;
}

/** Refuses a new link past MAX_FEEDS_PER_SPACE; the operator has no cap, a link already there costs nothing. */
export async function checkFeedCap(
  ctx: CommandContext,
  feeds: FeedCommandsPort,
  url: string,
  space: string,
  pending = 0,
): Promise<void> {
  if (space === OPERATOR_SPACE) return;
  const existing = await feeds.get(url);
  if (existing && (await feeds.links(existing.url)).some((link) => link.space === space)) return;
  const cap = (ctx.limits ?? DEFAULT_LIMITS).feedsPerSpace;
  const count = (await feeds.countLinks(space)) + pending;
  if (count >= cap) {
    const what = `This server already has ${count} feeds, the most allowed (${cap}).`;
    throw new NewsdeskError('bad_input', `${what} Remove one with /news feeds remove first.`);
  }
}
