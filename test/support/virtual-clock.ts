import type { Clock } from '#core/adapters/discord-rest/live-editor.ts';

/**
 * A clock that moves only when the test says: `advance(ms, settle)` wakes each sleeper that
 * falls due, in order, and runs `settle` after each (to let the work it started finish).
 */
export class VirtualClock implements Clock {
  private t = 1_000_000;
  private sleepers: Array<{ due: number; resolve: () => void }> = [];

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const sleeper = { due: this.t + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });

  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.due - b.due);
      const next = this.sleepers[0];
      if (!next || next.due > target) break;
      this.sleepers.shift();
      this.t = Math.max(this.t, next.due);
      next.resolve();
      await settle();
    }
    this.t = target;
    await settle();
  }
}
