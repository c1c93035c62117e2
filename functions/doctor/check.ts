import { CarrierError, ConfigError, type ConfigProblem } from '../errors.ts';

/**
 * One line of `carrier doctor`: a thing a deployment needs and whether it is right. A failed
 * check says what is wrong (`problem`) and what to do (`fix`); a passed one may say what it saw.
 */
export interface CheckResult {
  name: string;
  ok: boolean;
  problem?: string;
  fix?: string;
  /** What a passed check found, e.g. "13 tools: echo, get-sum, …". */
  detail?: string;
  /** Not configured here, so not checked (a passed check). */
  skipped?: boolean;
}

/** A check: it reports what it found and throws only for bugs (runChecks turns those into results). */
export type Check = () => Promise<CheckResult | CheckResult[]>;

export const passed = (name: string, detail?: string): CheckResult => ({
  name,
  ok: true,
  ...(detail ? { detail } : {}),
});

export const failed = (name: string, problem: string, fix: string): CheckResult => ({
  name,
  ok: false,
  problem,
  fix,
});

export const skipped = (name: string, detail: string): CheckResult => ({
  name,
  ok: true,
  skipped: true,
  detail,
});

/**
 * A probe's failure as the check reports it: what went wrong, in one line, and the kind of
 * failure, so a check can pick the fix (a refused login and a closed port need different ones).
 */
export class ProbeError extends CarrierError {
  override name = 'ProbeError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'rejected' | 'missing' | 'invalid' | 'busy',
    options?: { cause?: unknown },
  ) {
    super(message, `probe_${kind}`, options);
  }
}

/**
 * The probes with a deadline each: a peer that does not answer in `ms` fails its probe as
 * unreachable, so the check can still say which peer and what to check.
 *
 * @example
 * const timed = withDeadlines(probes, 10_000);
 */
export function withDeadlines<P extends object>(probes: P, ms: number): P {
  const timed: Record<string, unknown> = {};
  for (const [name, probe] of Object.entries(probes)) {
    timed[name] = (...args: unknown[]) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeError(`no answer within ${ms} ms`, 'unreachable')), ms);
      });
      const call = Promise.resolve((probe as (...a: unknown[]) => unknown)(...args));
      return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
    };
  }
  return timed as P;
}

/** The one-line message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/** Config problems (one per file and field) as failed checks, each with the same fix. */
export function problemResults(name: string, problems: ConfigProblem[], fix: string): CheckResult[] {
  return problems.map((p) =>
    failed(name, p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`, fix),
  );
}

/**
 * Loads a configuration as the runtime does: a passed check with what `detail` says of it, or
 * one failed check per problem, each with `fix`. Errors other than config problems are bugs.
 *
 * @example
 * const { results, value } = await configCheck('settings', () => loadSettings(), 'correct it in .env');
 */
export async function configCheck<T>(
  name: string,
  load: () => T | Promise<T>,
  fix: string,
  detail?: (value: T) => string | undefined,
): Promise<{ results: CheckResult[]; value?: T }> {
  try {
    const value = await load();
    return { results: [passed(name, detail?.(value))], value };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { results: problemResults(name, error.problems, fix) };
  }
}

/**
 * Runs the checks concurrently and returns their results in the order given. A check that
 * does not answer within `timeoutMs`, or throws, becomes a failed result naming it, so one slow
 * or broken peer never hides the others.
 *
 * @example
 * const results = await runChecks([() => settingsCheck(load)], { timeoutMs: 10_000 });
 */
export async function runChecks(
  checks: Array<{ name: string; run: Check }>,
  options: { timeoutMs: number },
): Promise<CheckResult[]> {
  const results = await Promise.all(
    checks.map(async ({ name, run }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(
          () =>
            resolve(
              failed(
                name,
                `no answer within ${options.timeoutMs} ms`,
                'check that the peer is up and reachable from here, or pass --timeout with more milliseconds',
              ),
            ),
          options.timeoutMs,
        );
      });
      try {
        return await Promise.race([run(), timeout]);
      } catch (error) {
        return failed(
          name,
          messageOf(error),
          'this is a bug in the check; run it again with the same settings and report it',
        );
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.flat();
}
