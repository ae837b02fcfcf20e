/**
 * The earliest moment a request a fake reads now can have arrived. A fake stamps a request when its
 * event loop reads it; while the loop is not turning (its process waits for a core on a loaded
 * machine, or is busy), requests wait in their sockets and are read late, in a bunch. A 1 ms beat
 * marks the loop's turns: a request read now came in after the beat before the latest one, since the
 * loop polled its sockets in between. Normally that is a millisecond or two before the stamp.
 */
export interface ArrivalFloor {
  /** The earliest time (epoch ms) a request read now can have arrived. */
  now(): number;
  stop(): void;
}

export function createArrivalFloor(): ArrivalFloor {
  let latest = Date.now();
  let previous = latest;
  const beat = setInterval(() => {
    previous = latest;
    latest = Date.now();
  }, 1);
  beat.unref();
  return {
    now: () => previous,
    stop: () => clearInterval(beat),
  };
}
