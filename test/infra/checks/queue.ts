import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DISCORD_TOKEN_WINDOW_SECONDS } from '../../../lib/config/environment.ts';
import { functionId, logicalId, type Synthesized } from '../synth.ts';

const LANES = [
  ['turns', 'Turns', 'maxConcurrency'],
  ['api-turns', 'ApiTurns', 'apiMaxConcurrency'],
] as const;

/** The turn queues, Discord's and the API's: FIFO, redrive, visibility timeout, TLS only. */
export function queueChecks(synth: () => Promise<Synthesized>): void {
  describe('the turn queues', () => {
    it('are FIFO, deduplicated by TurnRequest id, and redrive to FIFO dead-letter queues', async () => {
      const { template, deployment } = await synth();
      const env = deployment.name;
      for (const [name, id] of LANES) {
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `carrier-${env}-${name}-dlq.fifo`,
          FifoQueue: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
          VisibilityTimeout: deployment.config.functions.deadLetters.timeoutSeconds * 6,
        });
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `carrier-${env}-${name}.fifo`,
          FifoQueue: true,
          ContentBasedDeduplication: false,
          SqsManagedSseEnabled: true,
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${id}DeadLetters`), 'Arn'] },
            maxReceiveCount: deployment.config.queue.maxReceiveCount,
          },
        });
      }
    });

    it('hide a message for 6x the runner timeout, and a retry still comes inside Discord’s 15 minutes', async () => {
      const { template, deployment } = await synth();
      const visibility = deployment.config.functions.runner.timeoutSeconds * 6;
      for (const [name] of LANES) {
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `carrier-${deployment.name}-${name}.fifo`,
          VisibilityTimeout: visibility,
        });
      }
      expect(visibility).toBeLessThan(DISCORD_TOKEN_WINDOW_SECONDS);
    });

    it('feed the runner from each queue with its own concurrency cap, so the API’s backlog never takes Discord’s runners', async () => {
      const { template, deployment } = await synth();
      for (const [name, , cap] of LANES) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: {
            'Fn::GetAtt': [
              logicalId(template, 'AWS::SQS::Queue', 'QueueName', `-${deployment.name}-${name}.fifo`),
              'Arn',
            ],
          },
          FunctionName: { Ref: functionId(template, 'runner') },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BatchSize: deployment.config.queue.batchSize,
          ScalingConfig: { MaximumConcurrency: deployment.config.queue[cap] },
        });
      }
    });

    it('feed both dead-letter queues to the dead-letter consumer, reporting failures per message', async () => {
      const { template, deployment } = await synth();
      for (const [name] of LANES) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: {
            'Fn::GetAtt': [
              logicalId(template, 'AWS::SQS::Queue', 'QueueName', `-${deployment.name}-${name}-dlq.fifo`),
              'Arn',
            ],
          },
          FunctionName: { Ref: functionId(template, 'dead-letters') },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    });

    it('refuse plain HTTP on every queue', async () => {
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
      expect(Object.keys(denies)).toHaveLength(4);
    });
  });
}
