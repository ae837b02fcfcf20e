export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Poll `check` until it holds; throw naming `what` after `timeoutMs`. For state no event announces
 * (a child's output, a store row); the fakes have their own event-driven waits.
 */
export async function pollUntil(
  check: () => boolean,
  what: string,
  options: { timeoutMs?: number; everyMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.detail?.() ?? ''}`);
    await sleep(options.everyMs ?? 5);
  }
}
