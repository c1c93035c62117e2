import { afterEach, expect, it, vi } from 'vitest';
import { runTimersUntil } from './fake-timers.ts';

afterEach(() => {
  vi.useRealTimers();
});

it('runs fake timers until the promise settles, beside a timer that re-arms itself', async () => {
  vi.useFakeTimers();
  const loop = () => setTimeout(loop, 5_000);
  loop();
  const done = new Promise((resolve) => setTimeout(() => resolve('drained'), 60_000));
  expect(await runTimersUntil(done)).toBe('drained');
  // What it replaces never ends there.
  await expect(vi.runAllTimersAsync()).rejects.toThrow(/10000 timers/);
});
