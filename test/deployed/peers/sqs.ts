import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { BundledSynth } from '../../infra/bundled-synth.ts';
import { resourcesOfType, type ResourceValues } from '../support/template.ts';

const SERVER = fileURLToPath(new URL('./sqs-server.mjs', import.meta.url));
/** Queue attributes the template sets that the SQS API takes as they are. */
const ATTRIBUTES = ['FifoQueue', 'ContentBasedDeduplication', 'MessageRetentionPeriod', 'DelaySeconds'];

export interface SqsQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount?: number;
}

export interface SqsPeer {
  /** `http://127.0.0.1:<port>`: the functions' AWS_ENDPOINT_URL_SQS. */
  endpoint: string;
  /** A client for the test and the event-source driver. */
  client: SQSClient;
  queues: SqsQueue[];
  /** Ref (URL), Arn, QueueName and QueueUrl of each queue by logical id. */
  values: ResourceValues;
  stop(): Promise<void>;
}

/**
 * fauxqs on loopback, in a Node 24 process, holding the template's queues as CloudFormation
 * would create them (FIFO, deduplication, redrive to the dead-letter queue), except that
 * `visibilityTimeoutSeconds` replaces the template's visibility timeout (720 s for dev), so a
 * test sees redelivery in seconds.
 *
 * @example
 * const sqs = await startSqs(synth, node.path, 'eu-west-1', { visibilityTimeoutSeconds: 3 });
 */
export async function startSqs(
  s: BundledSynth,
  node: string,
  region: string,
  o: { visibilityTimeoutSeconds: number },
): Promise<SqsPeer> {
  const { endpoint, client, stop } = await startSqsServer(node, region);
  const declared = Object.entries(resourcesOfType(s, 'AWS::SQS::Queue'));
  // Dead-letter queues first: a queue's redrive policy names its dead-letter queue's ARN.
  declared.sort(
    ([, a], [, b]) =>
      Number(Boolean(a.Properties?.RedrivePolicy)) - Number(Boolean(b.Properties?.RedrivePolicy)),
  );
  const queues: SqsQueue[] = [];
  const values: ResourceValues = {};
  for (const [logicalId, resource] of declared) {
    const p = resource.Properties ?? {};
    const name = String(p.QueueName);
    const attributes: Record<string, string> = { VisibilityTimeout: String(o.visibilityTimeoutSeconds) };
    for (const key of ATTRIBUTES) if (p[key] !== undefined) attributes[key] = String(p[key]);
    const redrive = p.RedrivePolicy as
      { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] }; maxReceiveCount: number } | undefined;
    if (redrive) {
      const target = values[redrive.deadLetterTargetArn['Fn::GetAtt'][0]];
      if (!target) throw new Error(`${name}: its dead-letter queue is not in the template`);
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: target.Arn,
        maxReceiveCount: redrive.maxReceiveCount,
      });
    }
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    // The URL on the endpoint's own origin, as on AWS, so the SDK keeps using the endpoint.
    const url = `${endpoint}/000000000000/${name}`;
    const arn = (
      await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    queues.push({
      logicalId,
      name,
      url,
      arn,
      visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
      ...(redrive ? { maxReceiveCount: redrive.maxReceiveCount } : {}),
    });
    values[logicalId] = { Ref: url, Arn: arn, QueueName: name, QueueUrl: url };
  }
  return {
    endpoint,
    client,
    queues,
    values,
    stop,
  };
}

/**
 * fauxqs alone, on 127.0.0.1 and a free port, in a Node 24 process, with an SDK client for it.
 *
 * @example const { endpoint, client, stop } = await startSqsServer(node.path, 'eu-west-1');
 */
export async function startSqsServer(
  node: string,
  region: string,
): Promise<{ endpoint: string; client: SQSClient; stop(): Promise<void> }> {
  const child = spawn(node, [SERVER], { env: { AWS_REGION: region }, stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await address(child);
  const client = new SQSClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function address(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the SQS server (fauxqs) exited with ${String(code)} before listening`);
  });
  const line = once(lines, 'line').then(
    ([text]) => (JSON.parse(String(text)) as { address: string }).address,
  );
  return Promise.race([line, exited]);
}
