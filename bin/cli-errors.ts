import { CarrierError } from '#core/errors.ts';

/**
 * Runs a command action and turns user mistakes (CarrierError, and the system errors in
 * `userMistake`) into one line on stderr and exit code 1; anything else is a bug and keeps its
 * stack.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const message = userMistake(error);
      if (message === undefined) throw error;
      process.stderr.write(`carrier: ${message}\n`);
      process.exitCode = 1;
    }
  };
}

/**
 * The one line to print for an error the user can fix, or undefined for a bug. The one place
 * that maps system errors (a port in use) to what to do about them.
 *
 * @example
 * userMistake(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3000 }));
 * // 'port 3000 is in use; pass --port or set PORT'
 */
export function userMistake(error: unknown): string | undefined {
  if (error instanceof CarrierError) return error.message;
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code === 'EADDRINUSE')
    return `${port === undefined ? 'the port' : `port ${String(port)}`} is in use; pass --port or set PORT`;
  if (code === 'EACCES' && port !== undefined)
    return `port ${String(port)} needs privileges to listen on; pass --port above 1023 or set PORT`;
  return undefined;
}
