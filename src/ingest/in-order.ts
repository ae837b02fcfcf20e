/**
 * Keeps commits in call order within a lane while their preparation runs side by side: a call's
 * `commit` starts only after every earlier call of its lane started its own (or failed to prepare).
 * Feed items are stored (and so announced and posted) in the order they reached the store, even
 * when a large one is summarised in a worker and the items behind it are ready first.
 */
export function createInOrder() {
  /** Per lane, settled once the latest call has started its commit or given up. */
  const tails = new Map<string, Promise<void>>();
  return async function inOrder<T, R>(
    lane: string,
    prepared: Promise<T>,
    commit: (value: T) => Promise<R>,
  ): Promise<R> {
    const before = tails.get(lane) ?? Promise.resolve();
    let started!: () => void;
    const turn = new Promise<void>((resolve) => (started = resolve));
    const tail = before.then(() => turn);
    tails.set(lane, tail);
    void tail.then(() => {
      if (tails.get(lane) === tail) tails.delete(lane);
    });
    try {
      const value = await prepared;
      await before;
      const committing = commit(value);
      started();
      return await committing;
    } finally {
      started();
    }
  };
}
