/**
 * A platform's name, which is also its channel-id prefix. The known names come from the platform
 * descriptors (src/platforms/index.ts); the domain only fixes their shape, so it depends on no platform.
 */
export type Platform = string;

/** A channel id carries its platform as a prefix: `discord:123`, `slack:C1`, `console:main`. */
export type ChannelId = `${Platform}:${string}`;

const PREFIX = /^[a-z][a-z0-9-]*$/;

export function channelId(platform: Platform, nativeId: string): ChannelId {
  return `${platform}:${nativeId}`;
}

/** Splits an id into its platform and native parts; undefined when it has no valid prefix or no native id. */
export function parseChannelId(id: string): { platform: Platform; nativeId: string } | undefined {
  const at = id.indexOf(':');
  if (at <= 0) return undefined;
  const platform = id.slice(0, at);
  const nativeId = id.slice(at + 1);
  if (!PREFIX.test(platform) || nativeId.length === 0) return undefined;
  return { platform, nativeId };
}
