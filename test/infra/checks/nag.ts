import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { type Synthesized } from '../synth.ts';

/** The same checks with every acknowledgement ignored: what the rules find in the raw stack. */
class UnacknowledgedChecks extends AwsSolutionsChecks {}
Object.defineProperty(UnacknowledgedChecks.prototype, 'isAcknowledged', { value: () => false });

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** Cdk-nag AwsSolutions: zero unacknowledged findings, narrow acknowledgements. */
export function nagChecks(synth: () => Promise<Synthesized>): void {
  describe('cdk-nag AwsSolutions', () => {
    it('leaves no unacknowledged error or warning', async () => {
      const { stack } = await synth();
      const report = new AwsSolutionsChecks().validateScope(stack);
      const findings = report.violations.map(
        (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`,
      );
      expect(findings).toEqual([]);
    });

    it('acknowledges only findings that exist, each on its own resource, each with a reason', async () => {
      const { stack } = await synth();
      const raw = new UnacknowledgedChecks().validateScope(stack).violations;
      const found = new Set(
        raw.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
      );
      const acks = acknowledgements(stack);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        // Acknowledged on a CloudFormation resource, never on a stack or a whole construct subtree.
        expect(found, `${ack.id} at ${ack.path}`).toContain(`${ack.id} ${ack.path}`);
        expect(ack.reason.length, `reason for ${ack.id} at ${ack.path}`).toBeGreaterThan(40);
      }
    });
  });
}
