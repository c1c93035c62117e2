import type { BundledSynth } from '../../infra/bundled-synth.ts';
import { functionId } from '../../infra/synth.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A function as the template deploys it. */
export interface TemplateFunction {
  logicalId: string;
  functionName: string;
  assetDir: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Environment.Variables, CloudFormation intrinsics unresolved. */
  variables: Record<string, unknown>;
}

/**
 * What the peers stand in for: a resource's `Ref` and `Fn::GetAtt` values by logical id
 * (a queue's URL and ARN, the secret's ARN, the HTTP API's id).
 */
export type ResourceValues = Record<string, { Ref: string } & Record<string, string>>;

/**
 * The function `carrier-<env>-<name>` of a bundled synth, read from its template.
 *
 * @example templateFunction(synth, 'runner').timeoutSeconds; // 120
 */
export function templateFunction(s: BundledSynth, name: string): TemplateFunction {
  const logicalId = functionId(s.template, name);
  const p = resources(s)[logicalId]!.Properties!;
  return {
    logicalId,
    functionName: String(p.FunctionName),
    assetDir: s.assetDir(name),
    handler: String(p.Handler),
    runtime: String(p.Runtime),
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    variables: (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
  };
}

/** The template's resources of one type, by logical id. */
export function resourcesOfType(s: BundledSynth, type: string): Resources {
  return Object.fromEntries(Object.entries(resources(s)).filter(([, r]) => r.Type === type));
}

/**
 * The function's variables with every intrinsic resolved against `values` and the region;
 * a variable that refers to something no peer stands in for is an error naming both.
 *
 * @example resolveVariables(fn, { TurnsQueue1234: { Ref: queueUrl, Arn: queueArn } }, 'eu-west-1');
 */
export function resolveVariables(
  fn: TemplateFunction,
  values: ResourceValues,
  region: string,
): Record<string, string> {
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::Partition': 'aws',
    'AWS::AccountId': '123456789012',
  };
  const resolve = (value: unknown, name: string): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') {
      const found = pseudo[node.Ref] ?? values[node.Ref]?.Ref;
      if (found !== undefined) return found;
    } else if (Array.isArray(node['Fn::GetAtt'])) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      const found = values[id]?.[attribute];
      if (found !== undefined) return found;
    } else if (Array.isArray(node['Fn::Join'])) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => resolve(part, name)).join(separator);
    }
    throw new Error(
      `${fn.functionName}: variable ${name} is ${JSON.stringify(value)}, which no loopback peer stands in for`,
    );
  };
  return Object.fromEntries(
    Object.entries(fn.variables).map(([name, value]) => [name, resolve(value, name)]),
  );
}

function resources(s: BundledSynth): Resources {
  return s.template.toJSON().Resources as Resources;
}
