import type { Context } from 'aws-lambda';

/**
 * A Lambda invocation context as the runtime passes it: a fresh request id per call unless given,
 * and `getRemainingTimeInMillis` counting down from `timeoutMs`.
 */
export function lambdaContext(
  overrides: Partial<Context> & { functionName?: string; timeoutMs?: number } = {},
): Context {
  const { timeoutMs = 30_000, functionName = 'carrier-test', ...rest } = overrides;
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `req-${Math.random().toString(16).slice(2, 10)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
    ...rest,
  };
}
