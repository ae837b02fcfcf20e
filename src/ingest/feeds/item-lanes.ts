/**
 * Runs `task` for every index, up to `concurrency` at once, except that indexes sharing a key run
 * one after another in order (two items of one feed that name the same article). The first error
 * stops new work; it is thrown once the tasks already under way have finished.
 */
export async function runInLanes(
  keys: readonly string[],
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, number[]>();
  for (const [index, key] of keys.entries()) {
    const lane = lanes.get(key);
    if (lane) lane.push(index);
    else lanes.set(key, [index]);
  }
  const queue = [...lanes.values()];
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane && !failure; lane = queue.shift()) {
      for (const index of lane) {
        try {
          await task(index);
        } catch (err) {
          failure ??= { err };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  if (failure) throw failure.err;
}
