import type { Log } from '../ports/log.ts';

/**
 * Runs `tick` every `everyMs` (default a minute) while the process lives, one run at a time: a
 * tick still running when the next is due is not started twice. A failed tick is logged and the
 * next one runs as usual. The timer does not keep the process alive.
 *
 * @example
 * const timer = startTicker({ run: () => sweep(), everyMs: 60_000 }, log);
 * clearInterval(timer);
 */
export function startTicker(
  tick: { run: () => Promise<unknown>; everyMs?: number },
  log?: Log,
): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick
      .run()
      .catch((error: unknown) => log?.error('scheduler tick failed', { error: String(error) }))
      .finally(() => (running = false));
  }, tick.everyMs ?? 60_000);
  timer.unref();
  return timer;
}
