import { consolePlatform } from './console/descriptor.js';
import type { PlatformDescriptor } from './descriptor.js';
import { discordPlatform } from './discord/descriptor.js';
import { slackPlatform } from './slack/descriptor.js';

/**
 * Every platform newsdesk knows. Configuration, channel-id prefixes, rate limits and the wiring are
 * derived from this list: a new platform is its folder plus one line here.
 */
export const platforms: readonly PlatformDescriptor[] = [consolePlatform, discordPlatform, slackPlatform];
