import { parseChannelId, type ChannelId, type Platform } from '../domain/channel.js';

/** Rows whose channel belongs to no platform with an adapter: swept after the platforms' tracks. */
export const SWEEP_TRACK = 'sweep';

export type TrackName = Platform | typeof SWEEP_TRACK;

/**
 * One queue of passes per track. A track's passes run one after another, so no row is ever sent
 * twice at once; tracks run side by side, so Discord fanning out to 10,000 channels (200 s at
 * 50/s) never holds up a Slack post, and a Slack backoff or outage never holds up Discord.
 */
export function createTrackQueues() {
  const tails = new Map<TrackName, Promise<unknown>>();
  return {
    run<T>(track: TrackName, work: () => Promise<T>): Promise<T> {
      const run = (tails.get(track) ?? Promise.resolve()).then(work);
      tails.set(
        track,
        run.catch(() => undefined),
      );
      return run;
    },
    /** Resolves when every pass queued so far, on every track, is done. */
    async idle(): Promise<void> {
      for (;;) {
        const pending = [...tails.values()];
        await Promise.all(pending);
        if ([...tails.values()].every((tail, index) => tail === pending[index])) return;
      }
    },
  };
}

/** Channels grouped by platform, in their given order; ids of no known platform are left out. */
export function channelsByPlatform(channels: readonly ChannelId[]): Map<Platform, ChannelId[]> {
  const groups = new Map<Platform, ChannelId[]>();
  for (const channel of channels) {
    const platform = parseChannelId(channel)?.platform;
    if (!platform) continue;
    const list = groups.get(platform);
    if (list) list.push(channel);
    else groups.set(platform, [channel]);
  }
  return groups;
}
