import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { TurnRequest } from '#core/ports/turn-request.ts';

/** An SQS FIFO record carrying a TurnRequest, as Lambda's event source mapping delivers it. */
export function sqsRecord(
  request: TurnRequest | string,
  receiveCount = 1,
  messageId = `m-${Math.random()}`,
): SQSRecord {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  const group = typeof request === 'string' ? 'g' : request.conversation;
  return {
    messageId,
    receiptHandle: `${messageId}-handle`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      SequenceNumber: '1',
      MessageGroupId: group,
      MessageDeduplicationId: typeof request === 'string' ? messageId : request.id,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:turns.fifo',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
