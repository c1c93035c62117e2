/**
 * The `now()` of the in-memory repositories: each call is one "transaction", and like
 * Postgres' microsecond `now()` no two transactions share a time, so a lease of 0 seconds is
 * already over for the next call (as on PGlite) even when the wall clock, or a frozen fake
 * clock, has not moved. Times are milliseconds with a fraction; `Date`s made from them keep
 * the whole milliseconds.
 *
 * @example
 * const clock = new StoreClock(() => new Date('2030-01-01T00:00:00Z'));
 * clock.tick() < clock.tick(); // true
 */
export class StoreClock {
  private last = -Infinity;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * The time of one call: the clock's, or a millisecond after the previous call's if that is
   * later (a Date holds whole milliseconds, so a smaller step would give two rows one time).
   */
  tick(): number {
    this.last = Math.max(this.now().getTime(), this.last + 1);
    return this.last;
  }
}

/** A copy of `value` as it comes back out of a jsonb column: parsed from its JSON. */
export function asJsonb<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
