import type { CheckResult } from './check.ts';

/**
 * One line per result: `ok`, `skip` or `FAIL`, the thing checked, and for a failure what is
 * wrong and the fix. Stable and plain, so scripts can grep it (or use `--json`).
 *
 * @example
 * formatResult({ name: 'ftp', ok: false, problem: '127.0.0.1:21 refused the login', fix: 'set FTP_PASSWORD' });
 * // 'FAIL  ftp: 127.0.0.1:21 refused the login; fix: set FTP_PASSWORD'
 */
export function formatResult(result: CheckResult): string {
  if (!result.ok) return `FAIL  ${result.name}: ${result.problem}; fix: ${result.fix}`;
  const mark = result.skipped ? 'skip' : 'ok  ';
  return `${mark}  ${result.name}${result.detail ? `: ${result.detail}` : ''}`;
}

/** The last line: how many problems, or that everything checked passed. */
export function summaryLine(results: CheckResult[]): string {
  const problems = results.filter((r) => !r.ok).length;
  const checked = results.filter((r) => !r.skipped).length;
  if (!problems) return `doctor: all ${checked} checks passed`;
  return `doctor: ${problems} problem${problems > 1 ? 's' : ''} in ${results.length} checks`;
}

/** What `--json` prints: the results and whether all passed. */
export function doctorJson(results: CheckResult[]): { ok: boolean; problems: number; checks: CheckResult[] } {
  const problems = results.filter((r) => !r.ok).length;
  return { ok: problems === 0, problems, checks: results };
}
