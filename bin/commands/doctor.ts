import type { Command } from 'commander';
import { problemResults, type CheckResult } from '#core/doctor/check.ts';
import { doctorJson, formatResult, summaryLine } from '#core/doctor/report.ts';
import { CarrierError, ConfigError } from '#core/errors.ts';
import type { DoctorDeployment } from '#core/wiring/doctor.ts';
import { action } from '../cli-errors.ts';

interface DoctorOptions {
  env?: string;
  secret?: string;
  online?: boolean;
  json?: boolean;
  timeout: string;
}

/** `carrier doctor`: its options and action. */
export function register(command: Command): void {
  command
    .option(
      '--env <name>',
      'check the deployment config/environments/<name>.json: its characters and secret keys',
    )
    .option(
      '--secret <ids>',
      'read these Secrets Manager secrets as the functions do, comma-separated, e.g. carrier/dev/database,carrier/dev/models (needs AWS credentials)',
    )
    .option(
      '--online',
      'also make one authenticated request to each model provider (free: it reads the model)',
    )
    .option('--json', 'print the results as JSON, for scripts')
    .option('--timeout <ms>', 'how long each check may take', '10000')
    .action(
      action(async (options: DoctorOptions) => {
        const timeoutMs = Number(options.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
          throw new CarrierError(
            `--timeout ${options.timeout}: expected milliseconds, a whole number from 100, e.g. --timeout 10000`,
            'doctor_timeout',
          );
        }
        const deployment = options.env ? await loadDeploymentFacts(options.env) : undefined;
        const env = { ...process.env };
        if (options.secret) {
          env.CARRIER_SECRET_ARNS = options.secret;
          // The secret lives in the deployment's region unless the shell says otherwise.
          // The SDK reads the region from the process environment.
          if (deployment && !Array.isArray(deployment) && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
            process.env.AWS_REGION = deployment.region;
          }
        }
        const results = Array.isArray(deployment)
          ? deployment
          : await (
              await import('#core/wiring/doctor.ts')
            ).runDoctor({
              env,
              timeoutMs,
              ...(options.online ? { online: true } : {}),
              ...(deployment ? { deployment } : {}),
            });
        if (options.json) process.stdout.write(`${JSON.stringify(doctorJson(results), null, 2)}\n`);
        else {
          for (const result of results) process.stdout.write(`${formatResult(result)}\n`);
          process.stderr.write(`${summaryLine(results)}\n`);
        }
        if (results.some((r) => !r.ok)) process.exitCode = 1;
      }),
    );
}

/** The deployment's facts, or its environment file's problems as failed checks. */
async function loadDeploymentFacts(
  name: string,
): Promise<(DoctorDeployment & { region: string }) | CheckResult[]> {
  const [{ loadDeployment }, { secretKeys }, { discordEnvironment }] = await Promise.all([
    import('../../lib/config/deployment.ts'),
    import('../../lib/config/secret-keys.ts'),
    import('../../lib/config/discord-environment.ts'),
  ]);
  try {
    const deployment = await loadDeployment(name);
    return {
      name,
      file: deployment.file,
      region: deployment.config.region,
      characters: deployment.characters.map((c) => c.id),
      secretKeys: secretKeys(deployment),
      env: discordEnvironment(deployment),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return problemResults(
      `environment ${name}`,
      error.problems,
      `correct it; \`npx cdk synth -c env=${name}\` checks the same way`,
    );
  }
}
