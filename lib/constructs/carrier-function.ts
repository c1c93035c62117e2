import { join, resolve } from 'node:path';
import { Annotations, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS } from '../config/bundle-options.ts';
import { prepareLambdaModules, type LambdaModules } from '../config/lambda-modules.ts';

export interface CarrierFunctionProps {
  /** The function's name, without the environment prefix: `interactions`, `runner`, … */
  name: string;
  /** The environment's name; function and log group names start with `carrier-<env>-`. */
  environmentName: string;
  /** The entry file, relative to the project root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  logLevel: string;
  /** Non-secret settings only; secrets are read from Secrets Manager at cold start. */
  environment: Record<string, string>;
  /** A folder copied next to the bundle (characters, MCP config); see stageRuntimeFiles. */
  runtimeFiles?: string;
  /** Project folders copied into the asset, by their name there: `{ console: 'functions/api/console' }`. */
  projectFiles?: Record<string, string>;
  /** Async invocations (schedules): 0 when the next tick does the retry anyway. */
  retryAttempts?: number;
  /**
   * Native packages kept out of the bundle and shipped in node_modules for linux-arm64 (see
   * lambdaModules). A bundling synth installs their linux-arm64 binaries when they are missing,
   * unless the `carrier:fetchLambdaModules` context is false (tests): then it warns instead.
   */
  nativeModules?: string[];
  /** The project root: where package-lock.json and the entry live. Default: the working directory. */
  projectRoot?: string;
}

/**
 * One Lambda function the Carrier way: nodejs24.x on arm64, bundled by the local esbuild (never
 * Docker) into one minified ESM file with the AWS SDK inside, its own log group with the
 * environment's retention, and its own role that may write only to that log group. Callers grant
 * the rest (queue, secret) on `fn`.
 *
 * @example
 * const runner = new CarrierFunction(this, 'Runner', { name: 'runner', entry: 'functions/handlers/agent-runner.ts', ... });
 * queue.grantConsumeMessages(runner.fn);
 */
export class CarrierFunction extends Construct {
  public readonly fn: NodejsFunction;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CarrierFunctionProps) {
    super(scope, id);
    const functionName = `carrier-${props.environmentName}-${props.name}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // A role of its own instead of AWSLambdaBasicExecutionRole: that managed policy may write to
    // every log group in the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: writes its own logs; other grants are added per resource`,
    });
    this.logGroup.grantWrite(role);

    const projectRoot = resolve(props.projectRoot ?? '.');
    const native = this.nativeModules(projectRoot, functionName, props.nativeModules);
    // Copied next to index.mjs after bundling: data files, then native packages into node_modules.
    const copies: Array<[from: string, to: string]> = [];
    if (props.runtimeFiles) copies.push([props.runtimeFiles, '']);
    for (const [to, from] of Object.entries(props.projectFiles ?? {}))
      copies.push([resolve(projectRoot, from), to]);
    if (native) copies.push(...native.copies);
    this.fn = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: resolve(projectRoot, props.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      logGroup: this.logGroup,
      role,
      retryAttempts: props.retryAttempts,
      environment: {
        LOG_LEVEL: props.logLevel,
        POWERTOOLS_SERVICE_NAME: functionName,
        ...props.environment,
      },
      projectRoot,
      depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: BUNDLE_OPTIONS.sourcemap,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_OPTIONS.banner,
        bundleAwsSDK: true,
        externalModules: [...BUNDLE_OPTIONS.external, ...(props.nativeModules ?? [])],
        commandHooks: copies.length
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              // A node one-liner rather than cp, so bundling works on any OS with Node.
              afterBundling: (_input: string, output: string) =>
                copies.map(
                  ([from, to]) =>
                    `node -e "require('node:fs').cpSync(process.argv[1], process.argv[2], { recursive: true, dereference: true })" ${JSON.stringify(from)} ${JSON.stringify(join(output, to))}`,
                ),
            }
          : undefined,
      },
    });
  }

  /**
   * The native packages' copies, prepared only when this stack is really bundled (template-only
   * synths skip bundling, and with it the install).
   */
  private nativeModules(root: string, functionName: string, names?: string[]): LambdaModules | undefined {
    if (!names?.length || !Stack.of(this).bundlingRequired) return undefined;
    const fetch = this.node.tryGetContext('carrier:fetchLambdaModules') !== false;
    const native = prepareLambdaModules(root, names, { fetch });
    if (native.problems.length) {
      Annotations.of(this).addWarningV2(
        'carrier:lambda-modules',
        `${functionName} needs ${names.join(', ')} for linux-arm64 and will fail where it uses them: ` +
          `${native.problems.join('; ')}. Run: ${native.command}`,
      );
    }
    return native;
  }
}
