import { Cron } from 'croner';

/**
 * When a schedule fires: a 5-field cron in a time zone, a fixed rate, or once at an instant.
 * The same three kinds EventBridge Scheduler has (`cron(…)`, `rate(…)`, `at(…)`).
 */
export type Timing =
  | { kind: 'cron'; expression: string; timezone: string }
  | { kind: 'rate'; every: number; unit: RateUnit }
  | { kind: 'at'; at: string };

export const RATE_UNITS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type RateUnit = keyof typeof RATE_UNITS;
const RATE = /^\s*(\d{1,4})\s+(minute|minutes|hour|hours|day|days)\s*$/;

/**
 * `"5 minutes"` as a rate, or a reason it is not one.
 *
 * @example
 * parseRate('1 day'); // { kind: 'rate', every: 1, unit: 'day' }
 */
export function parseRate(text: string): Extract<Timing, { kind: 'rate' }> | string {
  const match = RATE.exec(text);
  if (!match) return `"${text}" is not a rate; write e.g. "15 minutes", "1 hour" or "2 days"`;
  const every = Number(match[1]);
  if (every < 1) return `"${text}": a rate is at least 1 ${match[2]!.replace(/s$/, '')}`;
  return { kind: 'rate', every, unit: match[2]!.replace(/s$/, '') as RateUnit };
}

/** Undefined when `zone` is a time zone this runtime knows, else why not. */
export function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone "${zone}"; use an IANA name like "Europe/Paris" or "UTC"`;
  }
}

/** Undefined when `expression` is a 5-field cron croner accepts, else why not. */
export function cronProblem(expression: string, timezone = 'UTC'): string | undefined {
  if (expression.trim().split(/\s+/).length !== 5) {
    return `"${expression}" is not a 5-field cron (minute hour day-of-month month day-of-week), e.g. "0 9 * * *"`;
  }
  try {
    new Cron(expression, { timezone, paused: true });
    return undefined;
  } catch (error) {
    return `"${expression}" is not a valid cron: ${(error as Error).message}`;
  }
}

/**
 * The first firing strictly after `after`, or undefined when there is none (a past `at`).
 *
 * @example
 * nextFiring({ kind: 'rate', every: 1, unit: 'day' }, new Date('2030-01-01T00:00:00Z'));
 * // 2030-01-02T00:00:00Z
 */
export function nextFiring(timing: Timing, after: Date): Date | undefined {
  switch (timing.kind) {
    case 'at': {
      const at = new Date(timing.at);
      return at > after ? at : undefined;
    }
    case 'rate':
      return new Date(+after + timing.every * RATE_UNITS[timing.unit]);
    case 'cron':
      return (
        new Cron(timing.expression, { timezone: timing.timezone, paused: true }).nextRun(after) ?? undefined
      );
  }
}

/** Windows searched back from now for the latest missed cron firing, smallest first. */
const LOOKBACK_MS = [60_000, 3_600_000, 86_400_000, 32 * 86_400_000, 366 * 86_400_000];

/**
 * The one firing to run now: the latest scheduled time after `last` and not after `now`, or
 * undefined when nothing is due. A scheduler that was down for three days runs a daily schedule
 * once, for the most recent day, not three times.
 *
 * @example
 * dueFiring(daily9am, lastFired, now); // today 09:00 if it is past 09:00 and not yet fired
 */
export function dueFiring(timing: Timing, last: Date, now: Date): Date | undefined {
  const first = nextFiring(timing, last);
  if (!first || first > now) return undefined;
  if (timing.kind === 'at') return first;
  if (timing.kind === 'rate') {
    const period = timing.every * RATE_UNITS[timing.unit];
    return new Date(+last + Math.floor((+now - +last) / period) * period);
  }
  for (const window of LOOKBACK_MS) {
    const from = new Date(Math.max(+now - window, +last));
    let latest: Date | undefined;
    for (let at = nextFiring(timing, from), steps = 0; at && at <= now && steps < 2000; steps++) {
      latest = at;
      at = nextFiring(timing, at);
    }
    if (latest) return latest;
  }
  return first;
}
