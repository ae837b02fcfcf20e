import { NewsdeskError } from '../src/domain/errors.js';
import type { FeedCommandsPort } from '../src/ingest/feeds/feed-commands-port.js';
import type { CommandContext } from './command.js';

export function feedsOf(ctx: CommandContext): FeedCommandsPort {
  if (!ctx.feeds) throw new NewsdeskError('internal', 'feed commands are not wired');
  return ctx.feeds;
}
