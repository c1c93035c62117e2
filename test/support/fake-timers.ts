import { vi } from 'vitest';

/**
 * Runs fake timers, one due time after another, until `done` settles, then returns what it
 * gave. Not vi.runAllTimersAsync(): a timer that re-arms itself never lets that end, and one
 * can be there whatever the test does, as files share a worker. The agents SDK's trace export
 * loop re-arms every 5 s on the setTimeout of the moment, so one falling due while a test's
 * clock is fake lands on it ("Aborting after running 10000 timers").
 *
 * @example
 * await runTimersUntil(queue.idle());
 */
export async function runTimersUntil<T>(done: Promise<T>): Promise<T> {
  let settled = false;
  const watched = done.finally(() => {
    settled = true;
  });
  while (!settled) await vi.advanceTimersToNextTimerAsync();
  return watched;
}
