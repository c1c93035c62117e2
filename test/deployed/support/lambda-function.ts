import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
/** Lambda gives the init phase (the handler module's import) 10 seconds. */
const INIT_LIMIT_MS = 10_000;

export interface FunctionSpec {
  /** The deployed name, e.g. `carrier-dev-api`. */
  functionName: string;
  /** The asset folder `cdk deploy` uploads: the working directory, as /var/task is. */
  assetDir: string;
  /** `index.handler` */
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The whole process environment, Lambda's own variables included (see lambdaEnvironment). */
  env: Record<string, string>;
}

/** One invocation's outcome; `init` is set when it started a fresh execution environment. */
export interface Invocation<T> {
  result: T;
  ms: number;
  cpuMs: number;
  init?: { ms: number; cpuMs: number };
}

type Pending = { resolve: (m: Reply) => void; reject: (e: Error) => void };
type Reply = {
  type: 'result' | 'error';
  id: number;
  result?: unknown;
  error?: LambdaErrorBody;
  ms: number;
  cpuMs?: number;
};
interface LambdaErrorBody {
  errorType: string;
  errorMessage: string;
  stack?: string;
}

/** A handler's error or a crashed, timed-out or failed-to-start execution environment. */
export class LambdaInvokeError extends Error {
  override name = 'LambdaInvokeError';
  constructor(
    message: string,
    readonly errorType: string,
  ) {
    super(message);
  }
}

/**
 * A deployed function as the Lambda service runs it: an execution environment is a fresh Node
 * process in the asset folder, started on the first invocation (cold), reused after (warm),
 * replaced after a crash or a timeout; it runs one invocation at a time. Its output is kept in
 * `logs` and quoted in every error, so a failing bundle says why.
 *
 * @example
 * const api = new LambdaFunction(spec, node.path);
 * const { result } = await api.invoke(apiGatewayEvent);
 */
export class LambdaFunction {
  readonly logs: string[] = [];
  /** Execution environments started so far. */
  starts = 0;
  private env?: {
    child: ChildProcess;
    ready: Promise<{ ms: number; cpuMs: number }>;
    pending: Map<number, Pending>;
  };
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(
    readonly spec: FunctionSpec,
    private readonly node: string,
  ) {}

  /** Runs one invocation after those already queued, as one execution environment would. */
  invoke<T = unknown>(event: unknown): Promise<Invocation<T>> {
    const run = this.queue.then(() => this.run<T>(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the execution environment at once (SIGKILL), whatever it is doing. */
  kill(): void {
    this.env?.child.kill('SIGKILL');
  }

  /** Waits for the queued invocations, then ends the environment. */
  async stop(): Promise<void> {
    await this.queue;
    const child = this.env?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  private async run<T>(event: unknown): Promise<Invocation<T>> {
    const cold = !this.env;
    const env = this.env ?? this.start();
    const init = await env.ready;
    const id = this.nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const reply = await new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Lambda stops the environment of a timed-out invocation; the next one starts cold.
        reject(this.error(`Task timed out after ${this.spec.timeoutSeconds} seconds`, 'Sandbox.Timedout'));
        env.child.kill('SIGKILL');
      }, timeoutMs);
      env.child.send({ id, event, timeoutMs }, (error) => error && reject(error));
      const settle = () => clearTimeout(timer);
      env.pending.set(id, {
        resolve: (m) => (settle(), resolve(m)),
        reject: (e) => (settle(), reject(e)),
      });
    });
    if (reply.type === 'error') {
      const e = reply.error!;
      throw this.error(`${e.errorType}: ${e.errorMessage}`, e.errorType);
    }
    return { result: reply.result as T, ms: reply.ms, cpuMs: reply.cpuMs ?? 0, ...(cold ? { init } : {}) };
  }

  private start(): NonNullable<LambdaFunction['env']> {
    this.starts += 1;
    const child = fork(BOOTSTRAP, [], {
      execPath: this.node,
      execArgv: [],
      cwd: this.spec.assetDir,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const pending = new Map<number, Pending>();
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.logs.push(...chunk.split('\n').filter(Boolean)));
    }
    const ready = new Promise<{ ms: number; cpuMs: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          this.error(
            `init did not finish within ${INIT_LIMIT_MS / 1000} s (a top-level await that hangs?)`,
            'Runtime.InitTimeout',
          ),
        );
        child.kill('SIGKILL');
      }, INIT_LIMIT_MS);
      child.on(
        'message',
        (
          m:
            | Reply
            | { type: 'ready'; initMs: number; initCpuMs: number }
            | { type: 'init-error'; error: LambdaErrorBody },
        ) => {
          if (m.type === 'ready') return (clearTimeout(timer), resolve({ ms: m.initMs, cpuMs: m.initCpuMs }));
          if (m.type === 'init-error') {
            clearTimeout(timer);
            return reject(
              this.error(
                `init failed: ${m.error.errorType}: ${m.error.errorMessage}`,
                'Runtime.ImportModuleError',
              ),
            );
          }
          pending.get(m.id)?.resolve(m);
          pending.delete(m.id);
        },
      );
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.env?.child === child) this.env = undefined;
        const why = this.error(`Runtime exited (${signal ?? `exit status ${code}`})`, 'Runtime.ExitError');
        reject(why);
        for (const p of pending.values()) p.reject(why);
        pending.clear();
      });
    });
    // An environment that failed to start is gone: the next invocation starts another.
    ready.catch(() => undefined);
    this.env = { child, ready, pending };
    return this.env;
  }

  private error(message: string, type: string): LambdaInvokeError {
    const tail = this.logs.slice(-15).join('\n');
    return new LambdaInvokeError(
      `${this.spec.functionName}: ${message}${tail ? `\n--- its last output:\n${tail}` : ''}`,
      type,
    );
  }
}

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
