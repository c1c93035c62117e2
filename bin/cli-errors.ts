import { CarrierError } from '#core/errors.ts';

/**
 * Runs a command action and turns user mistakes (CarrierError) into one line on stderr and exit
 * code 1; anything else is a bug and keeps its stack.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (error instanceof CarrierError) {
        process.stderr.write(`carrier: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  };
}
