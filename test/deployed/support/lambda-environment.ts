/**
 * What the Lambda service sets in a Node.js execution environment, under the function's own
 * variables. Credentials are dummies: every AWS endpoint is a loopback peer.
 *
 * @example
 * lambdaEnvironment({ functionName: 'carrier-dev-api', region: 'eu-west-1', memoryMb: 512, assetDir, handler: 'index.handler' });
 */
export function lambdaEnvironment(o: {
  functionName: string;
  region: string;
  memoryMb: number;
  assetDir: string;
  handler: string;
}): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(o.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${o.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2030/01/01/[$LATEST]0123456789abcdef',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_ACCESS_KEY_ID: 'ASIADEPLOYEDSHAPE000',
    AWS_SECRET_ACCESS_KEY: 'deployed-shape-test-secret-key',
    AWS_SESSION_TOKEN: 'deployed-shape-test-session-token',
    LAMBDA_TASK_ROOT: o.assetDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: o.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: '/usr/local/bin:/usr/bin:/bin',
  };
}
