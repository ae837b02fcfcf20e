/**
 * The earliest moment a request a fake reads now can have arrived. A fake stamps a request when its
 * event loop reads it; while the loop is held up (its process waits for a core on a loaded machine,
 * or is busy), requests wait in their sockets and are read late, one every turn or so, in a bunch.
 * A 1 ms beat tells: beats more than `HELD_MS` apart mean the loop was held up, and for as long again
 * (at least `MIN_CATCH_UP_MS`) it is catching up, so what it reads may have waited since the hold
 * began. Otherwise a request came in after the beat before the latest one: a millisecond or two ago.
 */
export interface ArrivalFloor {
  /** The earliest time (epoch ms) a request read now can have arrived. */
  now(): number;
  stop(): void;
}

/** Beats further apart than this: the loop was held up (a timer of 1 ms fires within about 2 ms). */
const HELD_MS = 5;
/** The shortest time given to read what piled up in a hold: a request or two per turn. */
const MIN_CATCH_UP_MS = 20;

export function createArrivalFloor(): ArrivalFloor {
  let latest = Date.now();
  let previous = latest;
  let heldSince = latest;
  let catchUpUntil = 0;
  const beat = setInterval(() => {
    const at = Date.now();
    const gap = at - latest;
    if (gap > HELD_MS) {
      if (at >= catchUpUntil) heldSince = latest;
      catchUpUntil = Math.max(catchUpUntil, at + Math.max(MIN_CATCH_UP_MS, gap));
    }
    previous = latest;
    latest = at;
  }, 1);
  beat.unref();
  return {
    now: () => (Date.now() < catchUpUntil ? heldSince : previous),
    stop: () => clearInterval(beat),
  };
}
