/**
 * Waits `ms`; an abort rejects with the signal's reason. The abort listener goes once the wait is
 * over: left on, one per wait piled up on a long-lived signal (a follower's, a turn's). It uses
 * the global timer, which tests can fake (node:timers/promises' they cannot).
 *
 * @example
 * await abortableDelay(250, signal); // throws signal.reason if aborted first
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason as Error));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
