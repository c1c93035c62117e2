// The Lambda Node.js runtime's part, run by Lambda's Node 24 in the function's asset folder
// (the working directory, as /var/task is): import the handler module named by _HANDLER once
// (the init phase), then call `handler(event, context)` for each invocation sent over IPC and
// send back its result or error. One invocation at a time, like a Lambda execution environment.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [moduleName, exportName] = (process.env._HANDLER ?? 'index.handler').split('.');
const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
// Lambda looks for the handler module with these extensions, in this order.
const file = ['.js', '.mjs', '.cjs']
  .map((ext) => join(root, `${moduleName}${ext}`))
  .find((f) => existsSync(f));

const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const errorOf = (error) => ({
  errorType: error instanceof Error ? error.name : typeof error,
  errorMessage: error instanceof Error ? error.message : String(error),
  stack: error instanceof Error ? error.stack : undefined,
});

const initCpu = process.cpuUsage();
const initStart = performance.now();
let handler;
try {
  if (!file) throw new Error(`Cannot find module '${moduleName}' in ${root} (looked for .js, .mjs, .cjs)`);
  const loaded = await import(pathToFileURL(file).href);
  handler = loaded[exportName];
  if (typeof handler !== 'function')
    throw new Error(`${moduleName}.${exportName} is undefined or not exported`);
} catch (error) {
  process.send({ type: 'init-error', error: errorOf(error) });
  process.exit(1);
}
process.send({ type: 'ready', initMs: performance.now() - initStart, initCpuMs: cpuMs(initCpu) });

process.on('message', async (message) => {
  const { id, event, timeoutMs } = message;
  const deadline = Date.now() + timeoutMs;
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const context = {
    awsRequestId: randomUUID(),
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    const result = await handler(event, context);
    const ms = performance.now() - start;
    process.send({ type: 'result', id, result: result ?? null, ms, cpuMs: cpuMs(cpu) });
  } catch (error) {
    process.send({ type: 'error', id, error: errorOf(error), ms: performance.now() - start });
  }
});
