/**
 * A space owns feed links and subscriptions: a Discord guild, a Slack workspace, or the operator
 * (the terminal, FEED_URLS, ARTICLES_DIR and the channels in *_CHANNEL_IDS).
 */
export type SpaceId = string;

export const OPERATOR_SPACE: SpaceId = 'operator';

/**
 * The space of a Discord interaction. A DM has no guild; it gets a space of its own per user, so
 * nobody reaches the operator's feeds by messaging the bot.
 */
export function discordSpace(guildId: string | null | undefined, userId: string): SpaceId {
  return guildId ? `discord:guild:${guildId}` : `discord:dm:${userId}`;
}

export function slackSpace(teamId: string): SpaceId {
  return `slack:team:${teamId}`;
}

/** Who is looking: an invocation without a space comes from the operator's terminal. */
export function viewerSpace(space: SpaceId | undefined): SpaceId {
  return space ?? OPERATOR_SPACE;
}

const SPACE = /^(operator|discord:(guild|dm):[0-9A-Za-z_-]{1,64}|slack:team:[0-9A-Za-z_-]{1,64})$/;

/** For `--space` on the CLI: a clear one-line reason when the id is not one we make. */
export function parseSpaceId(text: string): SpaceId {
  const trimmed = text.trim();
  if (!SPACE.test(trimmed)) {
    throw new Error(`"${trimmed}" is not a space: use operator, discord:guild:<id> or slack:team:<id>`);
  }
  return trimmed;
}
