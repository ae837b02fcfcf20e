import { PermissionFlagsBits } from 'discord.js';

/**
 * What the bot needs in a channel: see it, post, embed links, read history (to find a post after a
 * crash instead of posting twice), and open and write in public threads (`thread=on`, forum posts).
 * 1024 + 2048 + 16384 + 65536 + 2^35 + 2^38 = 309237730304.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** The OAuth2 URL that adds the bot with slash commands and exactly those permissions. */
export function inviteUrl(applicationId: string, guildId?: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  if (guildId) params.set('guild_id', guildId);
  return `https://discord.com/oauth2/authorize?${params.toString().replace(/\+/g, '%20')}`;
}
