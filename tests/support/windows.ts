/** A moment known within bounds: an arrival stamped late, at `latest`, that came in at `earliest` or after. */
export interface Span {
  earliest: number;
  latest: number;
}

/**
 * The most events that certainly fall within one window of `windowMs`: what a sliding-window limit
 * can prove it saw. A number is an exact moment; a span counts in a window only when all of it does.
 */
export function mostInAnyWindow(times: readonly (number | Span)[], windowMs: number): number {
  const spans = times
    .map((time) => (typeof time === 'number' ? { earliest: time, latest: time } : time))
    .sort((a, b) => a.earliest - b.earliest || a.latest - b.latest);
  let most = 0;
  // The window that starts where one event could have come in earliest holds every later event that
  // certainly came before it ends.
  for (let i = 0; i < spans.length; i += 1) {
    const end = spans[i]!.earliest + windowMs;
    let inside = 0;
    for (let j = i; j < spans.length && spans[j]!.earliest < end; j += 1) if (spans[j]!.latest < end) inside += 1;
    most = Math.max(most, inside);
  }
  return most;
}
