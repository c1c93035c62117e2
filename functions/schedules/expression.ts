import type { Timing } from './timing.ts';

/**
 * The EventBridge Scheduler expression and time zone for a timing. Cron differs from the
 * 5-field form: a sixth field (year), one of day-of-month and day-of-week must be `?`, and
 * days of the week count from 1 (Sunday) instead of 0.
 *
 * @example
 * schedulerExpression({ kind: 'cron', expression: '30 8 * * 1-5', timezone: 'Europe/Paris' });
 * // { expression: 'cron(30 8 ? * 2-6 *)', timezone: 'Europe/Paris' }
 */
export function schedulerExpression(timing: Timing): { expression: string; timezone: string } {
  switch (timing.kind) {
    case 'at':
      // at() takes local time without a zone; the zone is given beside it.
      return { expression: `at(${new Date(timing.at).toISOString().slice(0, 19)})`, timezone: 'UTC' };
    case 'rate':
      return {
        expression: `rate(${timing.every} ${timing.unit}${timing.every === 1 ? '' : 's'})`,
        timezone: 'UTC',
      };
    case 'cron':
      return { expression: `cron(${eventBridgeCron(timing.expression)})`, timezone: timing.timezone };
  }
}

/** Throws with the reason when a 5-field cron has no EventBridge equivalent. */
export function eventBridgeCron(expression: string): string {
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (dom !== '*' && dom !== '?' && dow !== '*' && dow !== '?') {
    throw new Error(
      `"${expression}": EventBridge cannot combine a day of the month with a day of the week; set one of them to *`,
    );
  }
  const days = dow === '*' || dow === '?' ? '?' : weekdays(expression, dow);
  return `${minute} ${hour} ${days === '?' ? (dom === '?' ? '*' : dom) : '?'} ${month} ${days} *`;
}

/** 0-7 (both 0 and 7 are Sunday) to EventBridge's 1-7 (Sunday is 1); names pass through. */
function weekdays(expression: string, field: string): string {
  if (field.includes('/')) {
    throw new Error(
      `"${expression}": a step in the day-of-week field has no EventBridge form; list the days`,
    );
  }
  return field.toUpperCase().replace(/\d+/g, (n) => String((Number(n) % 7) + 1));
}
