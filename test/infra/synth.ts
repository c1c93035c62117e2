import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { Deployment } from '../../lib/config/deployment.ts';
import { addCarrierEnvironment } from '../../lib/stacks/carrier-app.ts';
import type { CarrierStack } from '../../lib/stacks/carrier-stack.ts';

export interface Synthesized {
  deployment: Deployment;
  stack: CarrierStack;
  template: Template;
  assembly: CloudAssembly;
}

const cache = new Map<string, Promise<Synthesized>>();

/**
 * The context `npx cdk synth -c …` gives the app: cdk.json's `context` (its feature flags change
 * what the template says, and so what cdk-nag reports), then `context` over it, as `-c` wins.
 *
 * @example
 * new App({ context: cdkContext({ env: 'dev' }) });
 */
export function cdkContext(context: Record<string, unknown>, root = '.'): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...cdkJson.context, ...context };
}

/**
 * Synthesizes a shipped environment once per test file and shares it. Asset bundling is skipped
 * (the template is otherwise identical), which keeps template tests at a few seconds on two
 * cores; bundled-synth.ts makes (and caches) the real bundled synth.
 */
export function synthesize(env: string): Promise<Synthesized> {
  let synthesized = cache.get(env);
  if (!synthesized) {
    synthesized = build(env);
    cache.set(env, synthesized);
  }
  return synthesized;
}

async function build(env: string): Promise<Synthesized> {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `carrier-synth-${env}-`)),
    context: cdkContext({ env, 'aws:cdk:bundling-stacks': [] }),
  });
  const { deployment, stack } = await addCarrierEnvironment(app);
  // synth() also runs the cdk-nag plugin: an unacknowledged error throws here.
  const assembly = app.synth();
  return { deployment, stack, template: Template.fromStack(stack), assembly };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The logical id of the one `type` resource whose `nameProperty` ends with `suffix`. */
export function logicalId(template: Template, type: string, nameProperty: string, suffix: string): string {
  const resources = template.findResources(type) as Resources;
  const found = Object.entries(resources).filter(([, r]) =>
    String(r.Properties?.[nameProperty]).endsWith(suffix),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.length}`);
  return found[0]![0];
}

/** The logical id of the Lambda function named `carrier-<env>-<name>`. */
export function functionId(template: Template, name: string): string {
  return logicalId(template, 'AWS::Lambda::Function', 'FunctionName', `-${name}`);
}

export function functionProperties(template: Template, name: string): Record<string, unknown> {
  const resources = template.toJSON().Resources as Resources;
  return resources[functionId(template, name)]!.Properties!;
}

export function functionVariables(template: Template, name: string): Record<string, unknown> {
  return (functionProperties(template, name).Environment as { Variables: Record<string, unknown> }).Variables;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement attached to the role of function `name`. */
export function roleStatements(template: Template, name: string): Statement[] {
  const role = (functionProperties(template, name).Role as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => (p.Properties?.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}
