import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DISCORD_TOKEN_WINDOW_SECONDS } from '../../../lib/config/environment.ts';
import { functionId, type Synthesized } from '../synth.ts';

/** The turn queue: FIFO, redrive, visibility timeout, TLS only. */
export function queueChecks(synth: () => Promise<Synthesized>): void {
  describe('the turn queue', () => {
    it('is FIFO, deduplicated by TurnRequest id, and redrives to a FIFO dead-letter queue', async () => {
      const { template, deployment } = await synth();
      const env = deployment.name;
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `carrier-${env}-turns-dlq.fifo`,
        FifoQueue: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `carrier-${env}-turns.fifo`,
        FifoQueue: true,
        // EventBridge Scheduler cannot send a deduplication id; its firings dedupe by content.
        ContentBasedDeduplication: true,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TurnsDeadLetters'), 'Arn'] },
          maxReceiveCount: deployment.config.queue.maxReceiveCount,
        },
      });
    });

    it('hides a message for 6x the runner timeout, and a retry still comes inside Discord’s 15 minutes', async () => {
      const { template, deployment } = await synth();
      const env = deployment.name;
      const visibility = deployment.config.functions.runner.timeoutSeconds * 6;
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `carrier-${env}-turns.fifo`,
        VisibilityTimeout: visibility,
      });
      expect(visibility).toBeLessThan(DISCORD_TOKEN_WINDOW_SECONDS);
    });

    it('feeds the runner in batches from the environment file, reporting failures per message', async () => {
      const { template, deployment } = await synth();
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TurnsQueue'), 'Arn'] },
        FunctionName: { Ref: functionId(template, 'runner') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: deployment.config.queue.batchSize,
        ScalingConfig: { MaximumConcurrency: deployment.config.queue.maxConcurrency },
      });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    });

    it('refuses plain HTTP on both queues', async () => {
      const { template } = await synth();
      const denies = template.findResources('AWS::SQS::QueuePolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
      });
      expect(Object.keys(denies)).toHaveLength(2);
    });
  });
}
