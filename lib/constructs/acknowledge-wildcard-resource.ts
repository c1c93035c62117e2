import { Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
// The flattening AwsSolutions-IAM5 itself applies to a policy's resources (no public export).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard `resource` on `fn`'s policy
 * resource, and nothing else. The finding names the resource as the rule sees it in the template,
 * which depends on cdk.json's feature flags (with `enablePartitionLiterals` the partition of a
 * stack with a known region is `aws`, not `<AWS::Partition>`); so the id is made from the very ARN
 * the policy grants, resolved and flattened as the rule does, never written out by hand.
 *
 * @example
 * const arn = `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${group}/*`;
 * fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [arn] }));
 * acknowledgeWildcardResource(fn, arn, 'Schedule names are chosen at runtime, in this group only.');
 */
export function acknowledgeWildcardResource(fn: IFunction, resource: string, reason: string): void {
  // On the function's policy resource only, the one the finding is reported on.
  const policy = fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (!policy) return;
  const finding = flattenCfnReference(Stack.of(policy).resolve(resource));
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
}
