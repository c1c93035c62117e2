import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsJsonQueue, SqsSendError } from '#core/adapters/queue/sqs-json-queue.ts';
import { turnRequestSchema } from '#core/ports/turn-request.ts';
import { failure, startScriptedServer } from '#test/fakes/scripted-http-server.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { startSqsServer } from '#test/deployed/peers/sqs.ts';
import { lambdaNode } from '#test/deployed/support/node24.ts';

const request = turnRequest({ id: '1234567890', conversation: 'a channel with spaces' });
const credentials = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'session',
};

describe('SqsJsonQueue over HTTP', () => {
  it('signs each send with SigV4 for sqs in the region and retries a 503 like the SDK', async () => {
    const server = await startScriptedServer([failure(503), { body: { MessageId: 'm1' } }]);
    const queue = new SqsJsonQueue({
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/turns.fifo',
      env: { ...credentials, AWS_ENDPOINT_URL_SQS: server.origin },
    });
    await queue.enqueue(request);
    await server.close();
    expect(server.requests).toHaveLength(2);
    const [, sent] = server.requests;
    expect(sent!.headers).toMatchObject({
      'x-amz-target': 'AmazonSQS.SendMessage',
      'x-amz-security-token': 'session',
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/sqs\/aws4_request, /,
      ),
    });
    expect(sent!.body).toMatchObject({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/turns.fifo',
    });
  });

  it('gives up at once on an error a retry cannot fix, naming the queue and the fix', async () => {
    const server = await startScriptedServer([
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        },
      },
    ]);
    const queue = new SqsJsonQueue({
      queueUrl: `${server.origin}/1/gone.fifo`,
      env: { ...credentials, AWS_REGION: 'eu-west-1' },
    });
    const sent = queue.enqueue(request);
    await expect(sent).rejects.toThrow(SqsSendError);
    await expect(sent).rejects.toThrow(/gone\.fifo failed: QueueDoesNotExist \(400\).*check TURN_QUEUE_URL/);
    await server.close();
    expect(server.requests).toHaveLength(1);
  });

  it('says which variables are missing without credentials', async () => {
    const queue = new SqsJsonQueue({ queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo', env: {} });
    await expect(queue.enqueue(request)).rejects.toThrow(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it('stops when the caller aborts', async () => {
    const server = await startScriptedServer([]);
    const queue = new SqsJsonQueue({
      queueUrl: `${server.origin}/1/q.fifo`,
      env: { ...credentials, AWS_REGION: 'eu-west-1' },
    });
    await expect(queue.enqueue(request, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    await server.close();
  });
});

const node = lambdaNode();
describe.skipIf('missing' in node)(
  `SqsJsonQueue against an SQS-protocol server${'missing' in node ? ` — skipped: ${node.missing}` : ''}`,
  () => {
    let sqs: { endpoint: string; client: SQSClient; stop(): Promise<void> };
    let queueUrl: string;
    beforeAll(async () => {
      sqs = await startSqsServer((node as { path: string }).path, 'eu-west-1');
      await sqs.client.send(
        new CreateQueueCommand({ QueueName: 'turns.fifo', Attributes: { FifoQueue: 'true' } }),
      );
      queueUrl = `${sqs.endpoint}/000000000000/turns.fifo`;
    }, 30_000);
    afterAll(() => sqs?.stop());

    it('delivers the request with the conversation as group and the id as deduplication id, once', async () => {
      const queue = new SqsJsonQueue({ queueUrl, env: { ...credentials, AWS_REGION: 'eu-west-1' } });
      await queue.enqueue(request);
      await queue.enqueue(request); // a retried send: SQS drops it within the deduplication window
      const { Messages = [] } = await sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      expect(Messages).toHaveLength(1);
      expect(turnRequestSchema.parse(JSON.parse(Messages[0]!.Body!))).toEqual(request);
      expect(Messages[0]!.Attributes).toMatchObject({
        MessageGroupId: expect.stringMatching(/^[0-9a-f]{64}$/),
        MessageDeduplicationId: '1234567890',
      });
    });
  },
);
