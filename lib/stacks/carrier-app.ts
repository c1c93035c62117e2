import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeployment, type Deployment } from '../config/deployment.ts';
import { CarrierStack } from './carrier-stack.ts';

export interface CarrierApp {
  deployment: Deployment;
  stack: CarrierStack;
}

/**
 * Adds the environment named by the `env` context (`-c env=<name>`) to `app`: validates its
 * files, creates its stack (`carrier-<env>`) and registers cdk-nag's AwsSolutions checks, which run at synth. Bad
 * config throws a CarrierError naming the file and field before anything is built.
 *
 * @example
 * const app = new App({ context: { env: 'dev' } });
 * const { stack } = await addCarrierEnvironment(app);
 */
export async function addCarrierEnvironment(app: App, root = '.'): Promise<CarrierApp> {
  const name = app.node.tryGetContext('env') as unknown;
  const deployment = await loadDeployment(typeof name === 'string' ? name : undefined, root);
  const { config } = deployment;
  const stack = new CarrierStack(app, `carrier-${deployment.name}`, {
    deployment,
    description: `Carrier ${deployment.name}: character agents on Discord, an HTTPS API and Instagram`,
    // Explicit region (and account when pinned): synth never looks anything up.
    env: { region: config.region, ...(config.account ? { account: config.account } : {}) },
    terminationProtection: config.removalPolicy === 'retain',
  });
  // Findings fail synth (errors) or print (warnings); acknowledgements are copied into each
  // resource's Metadata as cdk_nag.rules_to_suppress, an audit trail in the template itself.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return { deployment, stack };
}
