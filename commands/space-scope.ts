import { OPERATOR_SPACE, viewerSpace } from '../src/domain/space.js';
import type { FeedLink } from '../src/store/feed-ports.js';
import type { CommandContext } from './command.js';

/** The space a command acts for: the guild or workspace, or the operator at the terminal. */
export const spaceOf = (ctx: CommandContext): string => viewerSpace(ctx.space);

export const isOperator = (ctx: CommandContext): boolean => spaceOf(ctx) === OPERATOR_SPACE;

/**
 * A feed URL as a viewer may see it: whole for the space that added it, otherwise without
 * user-info, query or fragment, where private feeds keep their tokens.
 */
export function shownUrl(url: string, links: FeedLink[], viewer: string): string {
  if (links.some((link) => link.space === viewer)) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return '(hidden URL)';
  }
}
