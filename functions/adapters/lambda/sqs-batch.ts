import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../../ports/log.ts';
import { turnRequestSchema, type TurnRequest } from '../../ports/turn-request.ts';
import { processTurnRequest, type RunnerDeps } from '../../turns/process-turn.ts';
import { atMostEvery, sweepStaleTurns } from '../../turns/sweep-stale.ts';

export type RunnerHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * The runner's SQS entry: each record of a FIFO batch is one TurnRequest. A failing record
 * fails only the rest of its message group (Powertools `skipGroupOnError`), so one
 * conversation's retry never reorders or blocks the others. The local queue calls the same
 * handler with SQS-shaped batches. At most once a minute a batch first fails the turns whose
 * last attempt ran out of time (sweep-stale.ts).
 *
 * @example
 * export const handler = createRunnerHandler(deps);
 */
export function createRunnerHandler(deps: RunnerDeps): RunnerHandler {
  const sweep = atMostEvery(60_000, () => sweepStaleTurns(deps.turns, deps.maxReceiveCount, deps.log));
  return async (event, context) => {
    await sweep();
    // One processor per invocation: the local stack runs batches of different groups concurrently.
    const processor = new SqsFifoPartialProcessorAsync();
    return processPartialResponse(event, (record: SQSRecord) => handleRecord(record, deps), processor, {
      ...(context ? { context } : {}),
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  };
}

async function handleRecord(record: SQSRecord, deps: RunnerDeps): Promise<void> {
  const request = turnRequestOf(record, deps.log);
  if (!request) return;
  const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
  await processTurnRequest(request, { receiveCount }, deps);
}

/**
 * The record's TurnRequest, or undefined (logged, without the body) when it is not one:
 * retrying cannot fix a malformed message, so it is let go.
 */
export function turnRequestOf(record: SQSRecord, log?: Pick<Log, 'error'>): TurnRequest | undefined {
  const parsed = turnRequestSchema.safeParse(safeJson(record.body));
  if (parsed.success) return parsed.data;
  log?.error('dropping a queue message that is not a TurnRequest', {
    messageId: record.messageId,
    problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
