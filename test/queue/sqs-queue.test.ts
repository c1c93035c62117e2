import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { fifoId, SqsTurnQueue } from '#core/adapters/queue/sqs-queue.ts';
import { turnRequestSchema } from '#core/ports/turn-request.ts';

const request = turnRequestSchema.parse({
  id: '1234567890',
  character: 'ada',
  conversation: 'channel-1',
  user: { id: 'u1', name: 'Sam' },
  text: 'hello',
  source: 'discord',
  reply: { kind: 'none' },
  receivedAt: '2025-01-01T00:00:00.000Z',
});

describe('SqsTurnQueue', () => {
  it('sends the request with the conversation as group and the id as deduplication id', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const queue = new SqsTurnQueue({ queueUrl: 'https://sqs.test/q.fifo', client: new SQSClient({}) });

    await queue.enqueue(request);

    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(sent).toMatchObject({
      QueueUrl: 'https://sqs.test/q.fifo',
      MessageGroupId: 'channel-1',
      MessageDeduplicationId: '1234567890',
    });
    expect(turnRequestSchema.parse(JSON.parse(sent.MessageBody!))).toEqual(request);
    sqs.restore();
  });

  it("passes the caller's abort signal to the SQS send", async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const queue = new SqsTurnQueue({ queueUrl: 'https://sqs.test/q.fifo', client: new SQSClient({}) });
    const abort = new AbortController();
    await queue.enqueue(request, { signal: abort.signal });
    // The mock records send's options too, though its types only name the command.
    const args = sqs.commandCalls(SendMessageCommand)[0]!.args as unknown[];
    expect(args[1]).toEqual({ abortSignal: abort.signal });
    sqs.restore();
  });

  it('propagates a send failure so the producer can answer "try again"', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));
    const queue = new SqsTurnQueue({ queueUrl: 'https://sqs.test/q.fifo', client: new SQSClient({}) });
    await expect(queue.enqueue(request)).rejects.toThrow('throttled');
    sqs.restore();
  });
});

describe('fifoId', () => {
  it('keeps ids SQS accepts and hashes the rest stably', () => {
    expect(fifoId('abc-123:x')).toBe('abc-123:x');
    const hashed = fifoId('a room with spaces');
    expect(hashed).toMatch(/^[0-9a-f]{64}$/);
    expect(fifoId('a room with spaces')).toBe(hashed);
    expect(fifoId('x'.repeat(129))).toMatch(/^[0-9a-f]{64}$/);
  });
});
