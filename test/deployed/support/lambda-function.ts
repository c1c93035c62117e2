import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
/**
 * Lambda gives the init phase (the handler module's import) 10 seconds. On a shared two-core
 * machine wall time stretches with others' load, so the 10 s apply to the init's CPU time, and a
 * wall-clock limit six times longer catches an init that waits on something forever.
 */
const INIT_LIMIT_MS = 10_000;
const INIT_HANG_MS = 6 * INIT_LIMIT_MS;
const TIMEOUT_SLACK = 4;

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
      // The handler's context counts down the template's timeout; the environment is ended only
      // at TIMEOUT_SLACK times that, since wall time here stretches with the machine's load.
      const timer = setTimeout(() => {
        // Lambda stops the environment of a timed-out invocation; the next one starts cold.
        const limit = `${this.spec.timeoutSeconds} s timeout (×${TIMEOUT_SLACK} here)`;
        reject(this.error(`Task timed out: over its ${limit}`, 'Sandbox.Timedout'));
        env.child.kill('SIGKILL');
      }, timeoutMs * TIMEOUT_SLACK);
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
            `init did not finish within ${INIT_HANG_MS / 1000} s (a top-level await that never settles?)`,
            'Runtime.InitTimeout',
          ),
        );
        child.kill('SIGKILL');
      }, INIT_HANG_MS);
      child.on(
        'message',
        (
          m:
            | Reply
            | { type: 'ready'; initMs: number; initCpuMs: number }
            | { type: 'init-error'; error: LambdaErrorBody },
        ) => {
          if (m.type === 'ready') {
            clearTimeout(timer);
            if (m.initCpuMs <= INIT_LIMIT_MS) return resolve({ ms: m.initMs, cpuMs: m.initCpuMs });
            child.kill('SIGKILL');
            const used = `${(m.initCpuMs / 1000).toFixed(1)} s of CPU`;
            return reject(
              this.error(`init used ${used}, over Lambda's ${INIT_LIMIT_MS / 1000} s`, 'Runtime.InitTimeout'),
            );
          }
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
