export type Platform = 'console' | 'discord' | 'slack';

/** A channel id carries its platform as a prefix: `discord:123`, `slack:C1`, `console:main`. */
export type ChannelId = `${Platform}:${string}`;

const PLATFORMS: readonly Platform[] = ['console', 'discord', 'slack'];

export function channelId(platform: Platform, nativeId: string): ChannelId {
  return `${platform}:${nativeId}`;
}

export function parseChannelId(id: string): { platform: Platform; nativeId: string } | undefined {
  const at = id.indexOf(':');
  if (at <= 0) return undefined;
  const platform = id.slice(0, at) as Platform;
  const nativeId = id.slice(at + 1);
  if (!PLATFORMS.includes(platform) || nativeId.length === 0) return undefined;
  return { platform, nativeId };
}
