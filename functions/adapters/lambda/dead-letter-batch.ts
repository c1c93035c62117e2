import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSRecord } from 'aws-lambda';
import { settleDeadLetter, type DeadLetterDeps } from '../../turns/dead-letter.ts';
import { turnRequestOf, type RunnerHandler } from './sqs-batch.ts';

/**
 * The dead-letter consumer's SQS entry: each record of a dead-letter queue's batch is a
 * TurnRequest that failed every delivery, settled one by one (turns/dead-letter.ts). A turn a
 * runner still holds fails its record (and the rest of its FIFO group), so it is settled on a
 * later delivery, after the lease; a body that is not a TurnRequest is logged and dropped.
 *
 * @example
 * export const handler = createDeadLetterHandler(deps);
 */
export function createDeadLetterHandler(deps: DeadLetterDeps): RunnerHandler {
  return async (event, context?: Context) => {
    const processor = new SqsFifoPartialProcessorAsync();
    return processPartialResponse(event, (record: SQSRecord) => settle(record, deps), processor, {
      ...(context ? { context } : {}),
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  };
}

async function settle(record: SQSRecord, deps: DeadLetterDeps): Promise<void> {
  const request = turnRequestOf(record, deps.log);
  if (request) await settleDeadLetter(request, deps);
}
