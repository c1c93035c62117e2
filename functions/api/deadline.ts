import type { Context } from 'hono';
import type { ApiEnv } from './auth.ts';

/** Time kept back from the invocation for answering 202 and the response to leave. */
export const DEADLINE_MARGIN_MS = 1500;

/**
 * How long a request may still wait, in milliseconds: `wanted`, clamped to the invocation's
 * remaining time less a margin when the app runs in a Lambda (`hono/aws-lambda` puts its context
 * in the env). Without one (the local server, tests) the request may wait all it asked for.
 *
 * @example
 * const ms = waitBudget(c, wait * 1000); // 0: answer 202 now
 */
export function waitBudget(c: Context<ApiEnv>, wanted: number): number {
  // c.env is undefined under app.fetch without an env (plain requests in tests).
  const remaining = (c.env as ApiEnv['Bindings'] | undefined)?.lambdaContext?.getRemainingTimeInMillis();
  if (remaining === undefined) return wanted;
  return Math.max(0, Math.min(wanted, remaining - DEADLINE_MARGIN_MS));
}
